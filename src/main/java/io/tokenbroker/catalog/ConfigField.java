package io.tokenbroker.catalog;

import java.util.regex.Pattern;

/**
 * A connection-config value an app supplies for a type (e.g. a SharePoint site path or a Microsoft tenant). Values are
 * not secret; they are served back in {@code connectionConfig} and may fill placeholders in the provider's URLs.
 */
public record ConfigField(String name, String displayName, String description, String placeholder, boolean required,
		String defaultValue, String validationPattern, String validationError) {

	public ConfigField {
		displayName = (displayName != null) ? displayName : name;
		description = (description != null) ? description : "";
		placeholder = (placeholder != null) ? placeholder : "";
	}

	/** Whether {@code value} satisfies this field's validation pattern (a field without one accepts anything). */
	public boolean accepts(String value) {
		return this.validationPattern == null || Pattern.compile(this.validationPattern).matcher(value).matches();
	}

}
