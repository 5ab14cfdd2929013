package io.tokenbroker.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;

import feign.Response;

/** A provider's HTTP answer, read fully (up to a limit, so a hostile endpoint cannot exhaust memory). */
record ProviderResponse(int status, String body, Duration retryAfter) {

	private static final int MAX_BODY = 256 * 1024;

	static ProviderResponse read(Response response) {
		String body = "";
		if (response.body() != null) {
			try (InputStream in = response.body().asInputStream()) {
				body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				// The provider has answered, but the body with the new tokens (if any) is lost.
				throw ProviderException.unanswered();
			}
		}
		return new ProviderResponse(response.status(), body, retryAfter(response));
	}

	private static Duration retryAfter(Response response) {
		Collection<String> values = response.headers().get("retry-after");
		if (values == null) {
			values = response.headers().get("Retry-After");
		}
		if (values == null || values.isEmpty()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(values.iterator().next().trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
