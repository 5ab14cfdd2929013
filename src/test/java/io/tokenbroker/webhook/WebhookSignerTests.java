package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookSignerTests {

	/** The test vector the Standard Webhooks specification's reference libraries share. */
	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	private static final long TIMESTAMP = 1614265330;

	private static final String BODY = "{\"test\": 2432232314}";

	@Test
	void signsTheSpecificationsTestVector() {
		assertThat(WebhookSigner.sign(SECRET, ID, TIMESTAMP, BODY))
			.isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void aSecretWithoutItsPrefixSignsTheSame() {
		assertThat(WebhookSigner.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TIMESTAMP, BODY))
			.isEqualTo(WebhookSigner.sign(SECRET, ID, TIMESTAMP, BODY));
	}

	@Test
	void severalSecretsGiveSpaceSeparatedSignaturesInOrder() {
		String other = WebhookSigner.newSecret();

		String header = WebhookSigner.signatures(List.of(other, SECRET), ID, TIMESTAMP, BODY);

		assertThat(header.split(" ")).containsExactly(WebhookSigner.sign(other, ID, TIMESTAMP, BODY),
				"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void anyChangeToIdTimestampOrBodyChangesTheSignature() {
		String signature = WebhookSigner.sign(SECRET, ID, TIMESTAMP, BODY);
		assertThat(WebhookSigner.sign(SECRET, ID + "x", TIMESTAMP, BODY)).isNotEqualTo(signature);
		assertThat(WebhookSigner.sign(SECRET, ID, TIMESTAMP + 1, BODY)).isNotEqualTo(signature);
		assertThat(WebhookSigner.sign(SECRET, ID, TIMESTAMP, BODY + " ")).isNotEqualTo(signature);
	}

	@Test
	void newSecretsAreWhsecAnd32RandomBytes() {
		String secret = WebhookSigner.newSecret();
		assertThat(secret).startsWith("whsec_");
		assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
		assertThat(WebhookSigner.newSecret()).isNotEqualTo(secret);
	}

	@Test
	void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		assertThat(RetryPolicy.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).isEqualTo(Duration.ofMinutes(1));
		assertThat(RetryPolicy.parseRetryAfter("soon", now)).isNull();
		assertThat(RetryPolicy.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).isNull();
	}

	@Test
	void backoffDoublesWithJitterUpToTheMaximumAndRetriesLastAtLeastTheRetryWindow() {
		RetryPolicy policy = new RetryPolicy(properties(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24)));
		for (int attempts = 1; attempts <= 40; attempts++) {
			long full = Math.min(Duration.ofHours(1).toMillis(), 5_000L << Math.min(attempts - 1, 20));
			assertThat(policy.backoff(attempts).toMillis()).as("attempt %d", attempts).isBetween(full / 2, full);
		}
		Instant created = Instant.parse("2026-01-01T00:00:00Z");
		assertThat(policy.nextAttempt(30, null, created, created.plus(Duration.ofHours(23)))).isNotNull();
		assertThat(policy.nextAttempt(31, null, created, created.plus(Duration.ofHours(24)))).isNull();
		Instant now = created.plusSeconds(10);
		assertThat(policy.nextAttempt(1, Duration.ofMinutes(10), created, now)).isEqualTo(now.plus(Duration.ofMinutes(10)));
	}

	private static WebhookProperties properties(Duration initial, Duration max, Duration retryFor) {
		return new WebhookProperties(true, 4, Duration.ofMillis(250), Duration.ofSeconds(60), Duration.ofSeconds(3),
				Duration.ofSeconds(10), initial, max, retryFor, 5, 3, Duration.ofDays(7), List.of(), 20);
	}

}
