package io.tokenbroker.bench;

import java.time.Instant;
import java.util.List;

import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.security.PublicRoute;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's ceiling: what the web framework costs on its own. Same JVM, port, filters and JSON writer as
 * {@code GET /connectors/{type}/connection}, minus authentication, the query and the decryption; the body has the
 * shape and size of a benchmark connection's grant. Off unless {@code broker.bench.ceiling-endpoint=true}.
 */
@RestController
@ConditionalOnBooleanProperty(CeilingController.PROPERTY)
public class CeilingController {

	public static final String PROPERTY = "broker.bench.ceiling-endpoint";

	public static final String PATH = "/bench/ceiling";

	/** What the benchmark's seeded connections hold, so that both endpoints write bodies of the same size. */
	public static final int TOKEN_LENGTH = 64;

	public static final String TYPE = "github";

	public static final List<String> SCOPES = List.of("repo", "read:user");

	public static final Instant EXPIRES_AT = Instant.parse("2099-01-01T00:00:00Z");

	private static final AccessGrant BODY = new AccessGrant("x".repeat(TOKEN_LENGTH), null, EXPIRES_AT, SCOPES, TYPE);

	@PublicRoute
	@GetMapping(PATH)
	AccessGrant ceiling() {
		return BODY;
	}

}
