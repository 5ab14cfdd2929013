package io.tokenbroker.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Accept} header Spring MVC cannot parse, before anything else runs. Spring MVC reads
 * that header only to write the answer, after the handler ran (a change would already be stored), and then answered
 * a bare 406 without even a problem body, because writing the problem needed the same header. The rule is Spring's
 * own: the header is parsed by the strategy Spring MVC negotiates with.
 */
final class AcceptHeaderCheck extends OncePerRequestFilter {

	private final HeaderContentNegotiationStrategy negotiation = new HeaderContentNegotiationStrategy();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getHeader(HttpHeaders.ACCEPT) != null && !parsable(request)) {
			Problems.write(response, HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
					"The Accept header is malformed; send media types such as application/json, or no Accept header.");
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean parsable(HttpServletRequest request) {
		try {
			this.negotiation.resolveMediaTypes(new ServletWebRequest(request));
			return true;
		}
		catch (HttpMediaTypeNotAcceptableException ex) {
			return false;
		}
	}

}
