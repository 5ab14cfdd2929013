package io.tokenbroker.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLException;

import io.tokenbroker.egress.LockedDownHttpClient;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs signed deliveries with Apache HttpClient 5: short timeouts, no redirects (a 3xx is a failed attempt), no
 * retries or cookies, every connection to an address {@link EndpointAddresses} allows, and at most a few KB of the
 * answer read (the rest is cut off with the connection).
 */
@Component
class WebhookSender implements DisposableBean {

	private static final int MAX_ANSWER_BYTES = 4096;

	private final CloseableHttpClient http;

	WebhookSender(WebhookProperties properties, EndpointAddresses addresses) {
		this.http = LockedDownHttpClient
			.builder(properties.connectTimeout(), properties.readTimeout(), properties.concurrency(), addresses)
			.setUserAgent("token-broker-webhooks")
			.build();
	}

	/**
	 * What came of one attempt.
	 * @param statusCode the endpoint's answer, null when there was none
	 * @param error why there was no 2xx answer, from a fixed set; null on success
	 * @param retryAfter the endpoint's Retry-After, when it sent one
	 */
	record Result(Integer statusCode, String error, int latencyMs, Duration retryAfter) {

		boolean delivered() {
			return this.error == null;
		}

	}

	Result send(String url, String messageId, long timestamp, String signature, String body) {
		HttpPost post = new HttpPost(URI.create(url));
		post.setHeader("webhook-id", messageId);
		post.setHeader("webhook-timestamp", Long.toString(timestamp));
		post.setHeader("webhook-signature", signature);
		post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
		long started = System.nanoTime();
		try (ClassicHttpResponse response = this.http.executeOpen(null, post, null)) {
			skipBounded(response.getEntity());
			int status = response.getCode();
			int latency = millisSince(started);
			if (status >= 200 && status < 300) {
				return new Result(status, null, latency, null);
			}
			Header retryAfter = response.getFirstHeader("Retry-After");
			return new Result(status, "http_" + status, latency,
					(retryAfter != null) ? RetryPolicy.parseRetryAfter(retryAfter.getValue(), Instant.now()) : null);
		}
		catch (IOException ex) {
			return new Result(null, errorCode(ex), millisSince(started), null);
		}
		catch (RuntimeException ex) {
			return new Result(null, "invalid_url", millisSince(started), null);
		}
	}

	/** Reads at most a few KB of the answer; closing the response then drops the connection with whatever is left. */
	private static void skipBounded(HttpEntity entity) throws IOException {
		if (entity == null) {
			return;
		}
		try (InputStream in = entity.getContent()) {
			in.readNBytes(MAX_ANSWER_BYTES);
		}
	}

	private static String errorCode(IOException ex) {
		if (ex instanceof EndpointAddresses.AddressNotAllowed) {
			return "address_not_allowed";
		}
		if (ex instanceof UnknownHostException) {
			return "unknown_host";
		}
		if (ex instanceof ConnectTimeoutException) {
			return "connect_timeout";
		}
		if (ex instanceof InterruptedIOException) {
			return "timeout";
		}
		if (ex instanceof SSLException) {
			return "tls_error";
		}
		return "connection_failed";
	}

	private static int millisSince(long started) {
		return (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

	@Override
	public void destroy() throws IOException {
		this.http.close();
	}

}
