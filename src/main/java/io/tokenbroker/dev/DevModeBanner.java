package io.tokenbroker.dev;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.authflow.AuthFlowProperties;
import io.tokenbroker.security.ServiceTokenProperties;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** Dev mode only: warns loudly about the generated secrets and prints a ready token and the curl lines to try. */
@Component
@Profile(BrokerModeEnvironmentPostProcessor.DEV)
class DevModeBanner implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DevModeBanner.class);

	static final String DEMO_APP = "demo-app";

	private final ServiceTokenProperties serviceToken;

	private final AuthFlowProperties flow;

	private final Clock clock;

	DevModeBanner(ServiceTokenProperties serviceToken, AuthFlowProperties flow, Clock clock) {
		this.serviceToken = serviceToken;
		this.flow = flow;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) throws JOSEException {
		String base = this.flow.publicUrl().toString().replaceAll("/$", "");
		StringBuilder out = new StringBuilder("\n");
		out.append("=====================================================================\n");
		out.append(" DEV MODE. Embedded H2 database, encryption keyset and JWT secret under ./data/.\n");
		out.append(" These keys are for DEVELOPMENT ONLY: never use dev mode with real accounts.\n");
		out.append(" Production: run with the 'prod' profile and your own keyset and JWT settings.\n");
		out.append("=====================================================================\n");
		if (this.serviceToken.hmacSecret() != null) {
			String token = demoToken();
			out.append(" Service-role token for app '").append(DEMO_APP).append("' (valid ")
				.append(lifetime().toHours()).append(" hours):\n\n");
			out.append("   export TOKEN=").append(token).append("\n\n");
			out.append(" Connect the built-in sandbox provider, then open the redirectUrl in a browser:\n");
			out.append("   curl -s -X PUT ").append(base).append("/connectors/sandbox -H \"Authorization: Bearer $TOKEN\"")
				.append(" -H 'Content-Type: application/json' -d '{}'\n");
			out.append(" Fetch its access token:\n");
			out.append("   curl -s ").append(base).append("/connectors/sandbox/connection -H \"Authorization: Bearer $TOKEN\"\n");
			out.append(" Or connect it in the operator console (signed in automatically in dev mode):\n");
			out.append("   ").append(base).append("/console?app=").append(DEMO_APP).append("\n");
			out.append("=====================================================================\n");
		}
		log.warn(out.toString());
	}

	/**
	 * A token this broker accepts as it is configured: it lives as long as the broker allows (at most a day, the
	 * longest a printed token should work), and names the audience and issuer when they are set.
	 */
	String demoToken() throws JOSEException {
		Instant now = Instant.now(this.clock);
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("demo-service")
			.claim("app_id", DEMO_APP)
			.claim("scope", "connectors:read connectors:admin")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime())));
		if (this.serviceToken.audience() != null) {
			claims.audience(this.serviceToken.audience());
		}
		if (this.serviceToken.issuer() != null) {
			claims.issuer(this.serviceToken.issuer());
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		jwt.sign(new MACSigner(this.serviceToken.hmacSecret().getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

	private Duration lifetime() {
		Duration max = this.serviceToken.maxLifetime();
		return (max.compareTo(Duration.ofDays(1)) < 0) ? max : Duration.ofDays(1);
	}

}
