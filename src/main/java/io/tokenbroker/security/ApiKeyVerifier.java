package io.tokenbroker.security;

import java.util.Optional;

/**
 * Turns a presented workspace API key ({@code api_key: b44k_…}) into the service caller it stands for, or empty when
 * the key is unknown or revoked. Implemented where keys are stored; the filter chain only asks.
 */
public interface ApiKeyVerifier {

	/** The header the Base44 CLI sends the key in (lower case, with an underscore). */
	String HEADER = "api_key";

	Optional<ServiceCaller> verify(String presentedKey);

}
