package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.catalog.ProviderSpec.TokenResponseSpec;

/** An operator override replaces exactly the fields it sets, whichever field that is. */
class ProviderSpecTests {

	@Test
	void overrideReplacesEveryFieldItSets() throws Exception {
		ProviderSpec base = filled("base");
		for (RecordComponent component : ProviderSpec.class.getRecordComponents()) {
			ProviderSpec override = only(component, sample(component.getType(), "override"));
			ProviderSpec merged = base.overriddenBy(override);
			for (RecordComponent other : ProviderSpec.class.getRecordComponents()) {
				Object expected = other.getName().equals(component.getName()) ? other.getAccessor().invoke(override)
						: other.getAccessor().invoke(base);
				assertThat(other.getAccessor().invoke(merged)).as(component.getName() + " -> " + other.getName())
					.isEqualTo(expected);
			}
		}
	}

	@Test
	void emptyOverrideChangesNothing() throws Exception {
		ProviderSpec base = filled("base");
		ProviderSpec merged = base.overriddenBy(ProviderSpec.empty(null));
		for (RecordComponent component : ProviderSpec.class.getRecordComponents()) {
			assertThat(component.getAccessor().invoke(merged)).as(component.getName())
				.isEqualTo(component.getAccessor().invoke(base));
		}
	}

	@Test
	void tokenResponseOverrideReplacesOnlyThePathsItSets() {
		ProviderSpec base = ProviderSpec.empty("t")
			.overriddenBy(withResponse(new TokenResponseSpec("a", "r", "e", "s", "id", "mail", "err")));
		ProviderSpec merged = base
			.overriddenBy(withResponse(new TokenResponseSpec("authed_user.access_token", null, null, null, null, null,
					null)));
		assertThat(merged.tokenResponse())
			.isEqualTo(new TokenResponseSpec("authed_user.access_token", "r", "e", "s", "id", "mail", "err"));
	}

	@Test
	void toStringNeverShowsSecrets() throws Exception {
		ProviderSpec spec = ProviderSpec.empty("stripe")
			.overriddenBy(only(ProviderSpec.class.getRecordComponents()[indexOf("clientSecret")], "s3cr3t-secret"))
			.overriddenBy(only(ProviderSpec.class.getRecordComponents()[indexOf("apiKey")], "sk_test_s3cr3tKey"));
		assertThat(spec.toString()).doesNotContain("s3cr3t");
	}

	private static ProviderSpec withResponse(TokenResponseSpec response) {
		try {
			return only(ProviderSpec.class.getRecordComponents()[indexOf("tokenResponse")], response);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int indexOf(String name) {
		RecordComponent[] components = ProviderSpec.class.getRecordComponents();
		for (int i = 0; i < components.length; i++) {
			if (components[i].getName().equals(name)) {
				return i;
			}
		}
		throw new IllegalArgumentException(name);
	}

	private static ProviderSpec filled(String marker) throws Exception {
		RecordComponent[] components = ProviderSpec.class.getRecordComponents();
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			values[i] = sample(components[i].getType(), marker);
		}
		return construct(values);
	}

	private static ProviderSpec only(RecordComponent component, Object value) throws Exception {
		RecordComponent[] components = ProviderSpec.class.getRecordComponents();
		Object[] values = new Object[components.length];
		values[indexOf(component.getName())] = value;
		return construct(values);
	}

	private static ProviderSpec construct(Object[] values) throws Exception {
		Class<?>[] types = java.util.Arrays.stream(ProviderSpec.class.getRecordComponents())
			.map(RecordComponent::getType)
			.toArray(Class<?>[]::new);
		Constructor<ProviderSpec> constructor = ProviderSpec.class.getDeclaredConstructor(types);
		return constructor.newInstance(values);
	}

	/** A distinct, non-null value of {@code type} for each marker. */
	private static Object sample(Class<?> type, String marker) {
		boolean override = marker.equals("override");
		if (type == String.class) {
			return marker;
		}
		if (type == Boolean.class) {
			return override;
		}
		if (type == Long.class) {
			return override ? 2L : 1L;
		}
		if (type == List.class) {
			return List.of(marker);
		}
		if (type == Map.class) {
			return Map.of(marker, marker);
		}
		if (type == AuthMode.class) {
			return override ? AuthMode.API_KEY : AuthMode.OAUTH2;
		}
		if (type == BodyFormat.class) {
			return override ? BodyFormat.JSON : BodyFormat.FORM;
		}
		if (type == ClientAuth.class) {
			return override ? ClientAuth.BASIC : ClientAuth.BODY;
		}
		if (type == TokenResponseSpec.class) {
			return new TokenResponseSpec(marker, marker, marker, marker, marker, marker, marker);
		}
		throw new IllegalStateException("No sample for " + type + ": extend this test for the new field type");
	}

}
