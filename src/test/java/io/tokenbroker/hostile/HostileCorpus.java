package io.tokenbroker.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile request material: a fixed corpus of known-bad inputs plus seeded random ones (the seed is fixed, so a
 * failure reproduces). Every body here is invalid for the request it is sent with.
 */
final class HostileCorpus {

	static final long SEED = 0x5eed_2026L;

	private HostileCorpus() {
	}

	/** Malformed, oversized, deeply nested, oddly encoded and wrongly typed JSON bodies. */
	static List<byte[]> bodies(Random random) {
		List<byte[]> bodies = new ArrayList<>();
		for (String fixed : List.of("", " ", "null", "[]", "\"text\"", "42", "true", "{", "}", "{]", "{\"scopes\":",
				"{\"scopes\":[\"a\",]}", "{\"scopes\":[\"a\"]", "{'scopes':['a']}", "{scopes:[\"a\"]}",
				"{\"scopes\":\"openid\"}", "{\"scopes\":[1,2,3]}", "{\"scopes\":[null]}", "{\"scopes\":[{}]}",
				"{\"scopes\":[\"a\\u0000b\"]}", "{\"scopes\":[\"a\\nb\"]}", "{\"scopes\":[\"\"]}",
				"{\"scopes\":[\"\\ud800\"]}", "{\"connectionConfig\":[]}", "{\"connectionConfig\":\"x\"}",
				"{\"connectionConfig\":{\"tenant\":1}}", "{\"connectionConfig\":{\"tenant\":\"../../etc\"}}",
				"{\"connectionConfig\":{\"tenant\":\"' or 1=1 --\"}}",
				"{\"connectionConfig\":{\"tenant\":\"a\\u202eb\"}}", "{\"connectionConfig\":{\"tenant\":\"ＡＢＣ\"}}",
				"{\"connectionConfig\":{\"tenant\":\"x\",\"__proto__\":\"y\"}}", "{\"returnUrl\":\"javascript:alert(1)\"}",
				"{\"returnUrl\":42}", "{\"returnUrl\":\"https://evil.example/\"}", "{\"scopes\":1e999999}",
				"{\"scopes\":[" + "1".repeat(5000) + "]}", "{\"scopes\":[-0.0e-99999]}", "\uFEFF{\"scopes\":[]}",
				"{\"scopes\":[]} trailing", "{\"scopes\":[]}{\"scopes\":[]}", "/* comment */ {}", "{\"a\":NaN}",
				"{\"a\":Infinity}", "{\"scopes\":[\"" + "s".repeat(600) + "\"]}")) {
			bodies.add(fixed.getBytes(StandardCharsets.UTF_8));
		}
		bodies.add(("{\"scopes\":[" + "\"s\",".repeat(150) + "\"s\"]}").getBytes(StandardCharsets.UTF_8));
		bodies.add(("{\"scopes\":[\"" + "a".repeat(70_000) + "\"]}").getBytes(StandardCharsets.UTF_8));
		bodies.add(("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
		bodies.add(("{\"x\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}").getBytes(StandardCharsets.UTF_8));
		bodies.add(new byte[] { '{', '"', 's', 'c', 'o', 'p', 'e', 's', '"', ':', '[', '"', (byte) 0xC0, (byte) 0xAF,
				'"', ']', '}' });
		bodies.add(new byte[] { '{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}' });
		bodies.add(new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
		for (int i = 0; i < 150; i++) {
			bodies.add(randomJsonish(random));
		}
		for (int i = 0; i < 50; i++) {
			byte[] bytes = new byte[random.nextInt(512)];
			random.nextBytes(bytes);
			bodies.add(bytes);
		}
		return bodies;
	}

	/** Path segments for {@code {type}} and {@code {id}}: traversal, SQL, unicode, encodings, lengths. */
	static List<String> segments(Random random) {
		List<String> segments = new ArrayList<>(List.of("..", "%2e%2e", "..%2f..%2fadmin", "%252e%252e", "%2F",
				"%5c..%5c", ".%00.", "%00", "%ff", "%c0%af", "%e2%80%ae", "x%0d%0aSet-Cookie:%20a=b",
				"'%20or%20'1'%3D'1", "%22%3B%20drop%20table%20connector%3B--", "mockidp;x=1", "mockidp%3Bx=1",
				"mockidp%23", "mockidp%3F", "%u0041", "a".repeat(5000), "%E2%80%8B", "%F0%9F%92%A3", "CON", "~root",
				"$%7Bjndi:ldap://x%7D", "%3Cscript%3E"));
		String alphabet = "abcdefghijklmnopqrstuvwxyz_-%.~!$&'()*+,;=:@";
		for (int i = 0; i < 60; i++) {
			StringBuilder segment = new StringBuilder();
			int length = 1 + random.nextInt(30);
			for (int j = 0; j < length; j++) {
				char c = alphabet.charAt(random.nextInt(alphabet.length()));
				segment.append((c == '%') ? "%" + String.format("%02X", random.nextInt(256)) : String.valueOf(c));
			}
			segments.add(segment.toString());
		}
		return segments;
	}

	/** Query strings for endpoints that take parameters. */
	static List<String> queries(Random random) {
		List<String> queries = new ArrayList<>(List.of("from=yesterday", "to=%00", "action=%27%20or%201%3D1",
				"limit=-1", "limit=99999999999999999999", "cursor=%FF", "outcome=%E2%80%AE", "actor=%0D%0A",
				"connectorId=..%2F..", "from=2026-01-01T00:00:00Z&from=garbage", "limit=1e3", "cursor=1;drop"));
		for (int i = 0; i < 20; i++) {
			queries.add("limit=" + random.nextInt() + "&cursor=" + Long.toString(random.nextLong(), 36));
		}
		return queries;
	}

	private static byte[] randomJsonish(Random random) {
		String[] tokens = { "{", "}", "[", "]", "\"", ":", ",", "\"scopes\"", "\"connectionConfig\"", "\"returnUrl\"",
				"\"tenant\"", "true", "false", "null", "0", "-1", "1e308", "\\", "\\u0000", "\\ud83d", "\u202e",
				"\u0000", " ", "\n", "é", "💣", "'", "--", ";", "%00", "${", "<", ">" };
		StringBuilder out = new StringBuilder();
		int length = 1 + random.nextInt(80);
		for (int i = 0; i < length; i++) {
			out.append(tokens[random.nextInt(tokens.length)]);
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

}
