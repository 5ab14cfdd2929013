package io.tokenbroker.compat;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Echoes the Base44 CLI's {@code X-Request-ID} (it reports it with errors), or issues one, on the Base44 routes. Runs
 * before security so that 401 answers carry it too. An id that is not a plain token is replaced, never reflected.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-ID";

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !Base44ErrorShape.isBase44(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(HEADER);
		response.setHeader(HEADER, (id != null && SAFE.matcher(id).matches()) ? id : UUID.randomUUID().toString());
		chain.doFilter(request, response);
	}

}
