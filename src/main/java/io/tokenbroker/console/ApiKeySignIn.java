package io.tokenbroker.console;

import java.util.Optional;

/**
 * Extension point: sign-in to the console with a workspace API key ({@code b44k_…}). When a bean of this type exists,
 * the sign-in page offers a key field; the operator it returns sees only the key's app, and may change it only if the
 * key may administer connectors. No implementation ships until workspace API keys exist.
 */
public interface ApiKeySignIn {

	/** The operator the presented key stands for, or empty when it is unknown or revoked. */
	Optional<ConsoleOperator> signIn(String presentedKey);

}
