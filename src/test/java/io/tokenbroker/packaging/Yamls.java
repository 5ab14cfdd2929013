package io.tokenbroker.packaging;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading packaging files (YAML, and JSON as its subset) without binding them to classes. */
final class Yamls {

	private Yamls() {
	}

	static Map<String, Object> load(Path path) throws IOException {
		try (Reader reader = Files.newBufferedReader(path)) {
			return map(yaml().load(reader));
		}
	}

	static Map<String, Object> load(String text) {
		return map(yaml().load(text));
	}

	/** Every non-empty document of a multi-document stream. */
	static List<Map<String, Object>> loadAll(String text) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : yaml().loadAll(text)) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		return documents;
	}

	static String dump(Object value) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options).dump(value);
	}

	/**
	 * The node at {@code path}: strings step into maps, integers into lists. Fails with the path walked so far when a
	 * step is missing.
	 */
	static Object at(Object root, Object... path) {
		Object node = root;
		StringBuilder walked = new StringBuilder();
		for (Object step : path) {
			walked.append('/').append(step);
			if (step instanceof Integer index && node instanceof List<?> list && index < list.size()) {
				node = list.get(index);
			}
			else if (step instanceof String key && node instanceof Map<?, ?> map && map.containsKey(key)) {
				node = map.get(key);
			}
			else {
				throw new AssertionError("Nothing at " + walked + " in " + root);
			}
		}
		return node;
	}

	static Map<String, Object> mapAt(Object root, Object... path) {
		return map(at(root, path));
	}

	@SuppressWarnings("unchecked")
	static List<Object> listAt(Object root, Object... path) {
		Object node = at(root, path);
		if (!(node instanceof List)) {
			throw new AssertionError("Not a list: " + node);
		}
		return (List<Object>) node;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object node) {
		if (!(node instanceof Map)) {
			throw new AssertionError("Not a mapping: " + node);
		}
		return (Map<String, Object>) node;
	}

	private static Yaml yaml() {
		return new Yaml(new SafeConstructor(new LoaderOptions()));
	}

}
