package io.tokenbroker.security;

/**
 * The strict firewall's rules for header values, {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}, and header names,
 * {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, checked by a loop instead of a regular expression. Every request's
 * service JWT is a header of several hundred characters, and matching it against that pattern cost more than
 * verifying it; the names are short, but every header read is checked.
 */
final class HeaderValues {

	private HeaderValues() {
	}

	/** Whether every code point is assigned and is not a control character other than tab. */
	static boolean allowed(String value) {
		return allowed(value, true);
	}

	/** Whether every code point is assigned and is not a control character. */
	static boolean allowedName(String name) {
		return allowed(name, false);
	}

	private static boolean allowed(String value, boolean tab) {
		for (int i = 0; i < value.length();) {
			int codePoint = value.codePointAt(i);
			int type = Character.getType(codePoint);
			if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
