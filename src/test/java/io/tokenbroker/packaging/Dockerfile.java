package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read the way the builder reads it: comments dropped, continuation lines joined, one instruction per
 * entry, grouped into stages by {@code FROM}.
 */
record Dockerfile(List<Stage> stages) {

	record Instruction(String keyword, String arguments) {
	}

	record Stage(String image, String name, List<Instruction> instructions) {

		List<Instruction> all(String keyword) {
			return this.instructions.stream().filter((i) -> i.keyword().equals(keyword)).toList();
		}

		Optional<Instruction> last(String keyword) {
			List<Instruction> found = all(keyword);
			return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
		}

		/** Every variable set by the stage's ENV instructions, later ones winning. */
		Map<String, String> env() {
			Map<String, String> env = new LinkedHashMap<>();
			all("ENV").forEach((i) -> env.putAll(parseAssignments(i.arguments())));
			return env;
		}

	}

	static Dockerfile read(Path path) throws IOException {
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder pending = new StringBuilder();
		for (String line : Files.readAllLines(path)) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#")) {
				continue; // comments (and parser directives) may even sit between continuation lines
			}
			if (trimmed.endsWith("\\")) {
				pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
				continue;
			}
			pending.append(trimmed);
			String joined = pending.toString().strip();
			pending.setLength(0);
			if (!joined.isEmpty()) {
				String[] parts = joined.split("\\s+", 2);
				instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), (parts.length > 1) ? parts[1] : ""));
			}
		}
		List<Stage> stages = new ArrayList<>();
		for (Instruction instruction : instructions) {
			if (instruction.keyword().equals("FROM")) {
				String[] from = instruction.arguments().split("\\s+");
				String name = (from.length == 3 && from[1].equalsIgnoreCase("AS")) ? from[2] : null;
				stages.add(new Stage(from[0], name, new ArrayList<>()));
			}
			else if (!stages.isEmpty()) {
				stages.get(stages.size() - 1).instructions().add(instruction);
			}
		}
		return new Dockerfile(stages);
	}

	Stage finalStage() {
		return this.stages.get(this.stages.size() - 1);
	}

	Stage stage(String name) {
		return this.stages.stream()
			.filter((s) -> name.equals(s.name()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No stage named " + name));
	}

	/** {@code KEY=value KEY2="quoted value"} as a map. */
	static Map<String, String> parseAssignments(String arguments) {
		Map<String, String> result = new LinkedHashMap<>();
		int i = 0;
		int n = arguments.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(arguments.charAt(i))) {
				i++;
			}
			int eq = arguments.indexOf('=', i);
			if (i >= n || eq < 0) {
				break;
			}
			String key = arguments.substring(i, eq);
			StringBuilder value = new StringBuilder();
			i = eq + 1;
			char quote = 0;
			while (i < n) {
				char c = arguments.charAt(i);
				if (quote == 0 && (c == '"' || c == '\'')) {
					quote = c;
				}
				else if (quote != 0 && c == quote) {
					quote = 0;
				}
				else if (quote == 0 && Character.isWhitespace(c)) {
					break;
				}
				else {
					value.append(c);
				}
				i++;
			}
			result.put(key, value.toString());
		}
		return result;
	}

}
