package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.MutableClock;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The verified-token cache: what it skips, and what it must never skip. */
class CachingJwtDecoderTests {

	private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final CountingDecoder delegate = new CountingDecoder();

	private final CachingJwtDecoder decoder = new CachingJwtDecoder(this.delegate,
			new ServiceTokenCacheProperties(100, Duration.ofMinutes(5)), this.clock);

	@Test
	void sameTokenIsVerifiedOnceWhileValid() {
		this.delegate.expiresAt = START.plus(Duration.ofMinutes(2));
		Jwt first = this.decoder.decode("token-a");
		Jwt second = this.decoder.decode("token-a");
		assertThat(second).isSameAs(first);
		assertThat(this.delegate.calls.get()).isEqualTo(1);
	}

	@Test
	void differentTokensAreVerifiedSeparately() {
		this.delegate.expiresAt = START.plus(Duration.ofMinutes(2));
		this.decoder.decode("token-a");
		this.decoder.decode("token-a.");
		assertThat(this.delegate.calls.get()).isEqualTo(2);
	}

	@Test
	void tokenIsVerifiedAgainOnceExpired() {
		this.delegate.expiresAt = START.plus(Duration.ofMinutes(2));
		this.decoder.decode("token-a");
		this.clock.set(START.plus(Duration.ofMinutes(2)));
		this.delegate.reject = true;
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("token-a"));
		assertThat(this.delegate.calls.get()).isEqualTo(2);
	}

	@Test
	void longLivedTokenIsVerifiedAgainAfterMaxTtl() {
		this.delegate.expiresAt = START.plus(Duration.ofHours(12));
		this.decoder.decode("token-a");
		this.clock.set(START.plus(Duration.ofMinutes(5)));
		this.decoder.decode("token-a");
		assertThat(this.delegate.calls.get()).isEqualTo(2);
	}

	@Test
	void rejectedTokenIsVerifiedEveryTime() {
		this.delegate.reject = true;
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("token-a"));
		}
		assertThat(this.delegate.calls.get()).isEqualTo(3);
	}

	@Test
	void tokenWithoutExpiryIsNotCached() {
		this.delegate.expiresAt = null;
		this.decoder.decode("token-a");
		this.decoder.decode("token-a");
		assertThat(this.delegate.calls.get()).isEqualTo(2);
	}

	/** Stands in for the verifying decoder: counts calls, accepts or rejects as told. */
	private static final class CountingDecoder implements JwtDecoder {

		final AtomicInteger calls = new AtomicInteger();

		Instant expiresAt;

		boolean reject;

		@Override
		public Jwt decode(String token) {
			this.calls.incrementAndGet();
			if (this.reject) {
				throw new BadJwtException("rejected");
			}
			Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "HS256").claim("app_id", "app-a");
			if (this.expiresAt != null) {
				jwt.expiresAt(this.expiresAt);
			}
			return jwt.build();
		}

	}

}
