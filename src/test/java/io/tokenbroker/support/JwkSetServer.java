package io.tokenbroker.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider's JWK set endpoint in the test JVM, with keys the test adds and removes (rotation), and the
 * signing side: JWTs signed with any of its keys, published or not.
 */
public final class JwkSetServer implements AutoCloseable {

	private final HttpServer server;

	private final List<JWK> published = new CopyOnWriteArrayList<>();

	private final AtomicInteger fetches = new AtomicInteger();

	public JwkSetServer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/jwks.json", (exchange) -> {
			this.fetches.incrementAndGet();
			byte[] body = new JWKSet(List.copyOf(this.published)).toString(true).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	public String jwkSetUri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json";
	}

	public static RSAKey rsaKey(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static ECKey ecKey(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Publishes the public half of {@code key}. */
	public void publish(JWK key) {
		this.published.add(key.toPublicJWK());
	}

	public void retire(JWK key) {
		this.published.removeIf((k) -> k.getKeyID().equals(key.getKeyID()));
	}

	public int fetches() {
		return this.fetches.get();
	}

	/** Claims valid for {@code lifetime} from now, with {@code extra} claims added. */
	public static JWTClaimsSet.Builder claims(Map<String, Object> extra, Duration lifetime) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("caller")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime)));
		extra.forEach(builder::claim);
		return builder;
	}

	/** {@code claims} signed with {@code key} (RS256 or ES256 by key type), naming it by its kid. */
	public static String sign(JWK key, JWTClaimsSet claims) {
		return sign(key, new JWSHeader.Builder(algorithm(key)).keyID(key.getKeyID()).build(), claims);
	}

	public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
		try {
			JWSSigner signer = (key instanceof ECKey ec) ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static JWSAlgorithm algorithm(JWK key) {
		return (key instanceof ECKey) ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
