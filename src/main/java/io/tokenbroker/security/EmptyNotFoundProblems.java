package io.tokenbroker.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the management port, the health endpoint answers an unknown component or group with a bare 404 (no body, no
 * content type), which no error handler sees. Such an answer, still uncommitted, becomes a problem like every other
 * refusal.
 */
class EmptyNotFoundProblems extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, response);
		if (response.getStatus() == HttpStatus.NOT_FOUND.value() && !response.isCommitted()
				&& response.getContentType() == null) {
			response.resetBuffer();
			Problems.write(response, HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND,
					"The management port has no such endpoint, health component or group.");
		}
	}

}
