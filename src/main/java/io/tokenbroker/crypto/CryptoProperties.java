package io.tokenbroker.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * Where the encryption keyset comes from: inline JSON ({@code broker.crypto.keyset}, e.g. from an environment
 * variable) or a file ({@code broker.crypto.keyset-file}, e.g. a mounted secret).
 */
@ConfigurationProperties("broker.crypto")
record CryptoProperties(String keyset, Resource keysetFile) {
}
