package io.tokenbroker.limits;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.PayloadTooLargeException;
import io.tokenbroker.problem.Problems;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects request bodies above {@code broker.http.max-body-size} (or a {@link RouteBodyLimit} of the route) with 413:
 * early when Content-Length says so, and while reading when the body is chunked.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final List<RouteBodyLimit> routeLimits;

	RequestBodyLimitFilter(@Value("${broker.http.max-body-size:64KB}") DataSize maxBodySize,
			ObjectProvider<RouteBodyLimit> routeLimits) {
		this.maxBytes = maxBodySize.toBytes();
		this.routeLimits = routeLimits.orderedStream().toList();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = limitFor(request);
		if (request.getContentLengthLong() > limit) {
			Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
					"The request body is larger than " + limit + " bytes.");
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	private long limitFor(HttpServletRequest request) {
		for (RouteBodyLimit route : this.routeLimits) {
			long limit = route.maxBodyBytes(request);
			if (limit >= 0) {
				return limit;
			}
		}
		return this.maxBytes;
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedStream(super.getInputStream(), this.maxBytes);
			}
			return this.stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long maxBytes;

		private long read;

		LimitedStream(ServletInputStream delegate, long maxBytes) {
			this.delegate = delegate;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			this.read += n;
			if (this.read > this.maxBytes) {
				throw new PayloadTooLargeException();
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
