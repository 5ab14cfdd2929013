package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.TestKeys;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class KeyMaterialHealthIndicatorTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void workingKeysetIsUp() {
		Health health = new KeyMaterialHealthIndicator(TokenCipher.fromKeysetJson(TestKeys.KEYSET)).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).isEmpty();
	}

	@Test
	void cipherThatCannotDecryptItsOwnOutputIsDown() {
		TokenCipher broken = mock(TokenCipher.class);
		given(broken.encrypt(anyString(), anyString())).willReturn("AQAAAAE=");
		given(broken.decrypt(anyString(), anyString())).willThrow(new IllegalStateException("key material: AAAA"));
		Health health = new KeyMaterialHealthIndicator(broken).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsOnlyKeys("failedStep").containsEntry("failedStep", "decrypt");
	}

	@Test
	void downAnswerCarriesNoExceptionText() {
		TokenCipher broken = mock(TokenCipher.class);
		given(broken.encrypt(anyString(), anyString())).willThrow(new IllegalStateException("secret-ish detail"));
		Health health = new KeyMaterialHealthIndicator(broken).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.toString()).doesNotContain("secret-ish detail");
	}

	@Test
	void answerNeverContainsKeyMaterial() {
		Health health = new KeyMaterialHealthIndicator(TokenCipher.fromKeysetJson(TestKeys.KEYSET)).health();
		String answer = JSON.writeValueAsString(health);
		for (JsonNode key : JSON.readTree(TestKeys.KEYSET).get("key")) {
			String value = key.at("/keyData/value").asString();
			assertThat(value).isNotEmpty();
			assertThat(answer).doesNotContain(value).doesNotContain(value.substring(0, 16));
		}
	}

}
