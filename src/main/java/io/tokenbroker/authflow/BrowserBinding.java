package io.tokenbroker.authflow;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.tokenbroker.connector.Ids;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The cookie that binds an end user's authorization to the browser that opened its connect page (RFC 9700 §4.7:
 * the flow must finish in the user agent that started it). One cookie per attempt, so two connections started in two
 * tabs do not overwrite each other. Over HTTPS, and on {@code localhost} or a loopback address (secure contexts for
 * browsers), it is a
 * {@code __Host-} cookie: Secure, Path=/, no Domain, so no other host or plain-HTTP page can set or overwrite it. On a
 * plain-HTTP public URL other than localhost (development only) it cannot be Secure and goes without the prefix.
 */
@Component
class BrowserBinding {

	private final boolean secure;

	private final Duration lifetime;

	BrowserBinding(AuthFlowProperties properties) {
		String host = properties.publicUrl().getHost();
		this.secure = "https".equalsIgnoreCase(properties.publicUrl().getScheme()) || (host != null
				&& List.of("localhost", "127.0.0.1", "[::1]").contains(host.toLowerCase(Locale.ROOT)));
		this.lifetime = properties.oauth().stateTtl();
	}

	record Issued(String value, String hash, ResponseCookie cookie) {
	}

	Issued issue(String attemptId) {
		String value = Ids.randomToken(32);
		return new Issued(value, Pkce.sha256Hex(value), cookie(attemptId, value, this.lifetime));
	}

	/** Whether the request carries the cookie this attempt was bound to. */
	boolean matches(HttpServletRequest request, AuthorizationAttempt attempt) {
		if (attempt.browserBindingHash() == null || request == null || request.getCookies() == null) {
			return false;
		}
		String name = name(attempt.id());
		for (Cookie cookie : request.getCookies()) {
			if (name.equals(cookie.getName()) && cookie.getValue() != null && cookie.getValue().length() <= 100
					&& java.security.MessageDigest.isEqual(Pkce.sha256Hex(cookie.getValue()).getBytes(),
							attempt.browserBindingHash().getBytes())) {
				return true;
			}
		}
		return false;
	}

	/** Removes the cookie once the attempt is over. */
	ResponseCookie clear(String attemptId) {
		return cookie(attemptId, "", Duration.ZERO);
	}

	private ResponseCookie cookie(String attemptId, String value, Duration maxAge) {
		return ResponseCookie.from(name(attemptId), value)
			.path("/")
			.httpOnly(true)
			.secure(this.secure)
			.sameSite("Lax")
			.maxAge(maxAge)
			.build();
	}

	private String name(String attemptId) {
		return (this.secure ? "__Host-" : "") + "broker-connect-" + attemptId;
	}

}
