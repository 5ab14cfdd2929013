package io.tokenbroker.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the real Helm engine (Helm's Go code, bundled as a native library by the {@code com.marcnuri.helm-java:helm-java}
 * test dependency) on the chart: {@code helm template} and a client-only {@code helm install --dry-run} with values
 * files, and {@code helm lint}. Rendering applies
 * values.schema.json exactly as {@code helm install} does.
 */
final class HelmRenderer {

	static final Path CHART = Path.of("helm", "token-broker");

	/** Rendered as if for this cluster version, at or above the chart's kubeVersion. */
	static final String KUBE_VERSION = "1.30.0";

	private static final String HELM_CLASS = "com.marcnuri.helm.Helm";

	private HelmRenderer() {
	}

	/** {@code helm template <release> <chart> --kube-version ... -f <values>}: the manifests, or a {@link HelmException}. */
	static String template(Path chart, String release, Map<String, Object> values) {
		Path valuesFile = writeTemp("values-", Yamls.dump(values));
		try {
			Object command = invoke(helm(chart), "template");
			command = invoke(command, "withName", release);
			command = invoke(command, "withNamespace", "broker");
			command = invoke(command, "withKubeVersion", KUBE_VERSION);
			command = invoke(command, "withValuesFile", valuesFile);
			return (String) invoke(command, "call");
		}
		finally {
			deleteQuietly(valuesFile);
		}
	}

	/**
	 * {@code helm install --dry-run=client}: what Helm prints after an install, including the rendered NOTES.txt, which
	 * {@code helm template} leaves out.
	 */
	static String installOutput(Path chart, String release, Map<String, Object> values) {
		Path valuesFile = writeTemp("values-", Yamls.dump(values));
		try {
			Object command = invoke(helm(chart), "install");
			command = invoke(command, "withName", release);
			command = invoke(command, "withNamespace", "broker");
			command = invoke(command, "withKubeVersion", KUBE_VERSION);
			command = invoke(command, "clientOnly");
			command = invoke(command, "dryRun");
			command = invoke(command, "withValuesFile", valuesFile);
			return (String) invoke(invoke(command, "call"), "getOutput");
		}
		finally {
			deleteQuietly(valuesFile);
		}
	}

	/** {@code helm lint --strict <chart>}: the messages; fails with them when lint fails. */
	@SuppressWarnings("unchecked")
	static List<String> lintStrict(Path chart) {
		Object command = invoke(invoke(helm(chart), "lint"), "strict");
		Object result = invoke(command, "call");
		List<String> messages = (List<String>) invoke(result, "getMessages");
		if ((Boolean) invoke(result, "isFailed")) {
			throw new HelmException(String.join("\n", messages));
		}
		return messages;
	}

	private static Object helm(Path chart) {
		try {
			return Class.forName(HELM_CLASS).getConstructor(Path.class).newInstance(chart.toAbsolutePath());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot create " + HELM_CLASS, ex);
		}
	}

	private static Object invoke(Object target, String name, Object... args) {
		Method method = findMethod(target.getClass(), name, args);
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			// Helm's own error (schema violation, `required`, template error) surfaces here.
			throw new HelmException(ex.getCause().getMessage());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Method findMethod(Class<?> type, String name, Object[] args) {
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name) && method.getParameterCount() == args.length
					&& parametersAccept(method.getParameterTypes(), args)
					&& !method.isBridge()) {
				return method;
			}
		}
		throw new IllegalStateException("No method " + name + " on " + type.getName());
	}

	private static boolean parametersAccept(Class<?>[] parameterTypes, Object[] args) {
		for (int i = 0; i < args.length; i++) {
			if (!parameterTypes[i].isInstance(args[i])) {
				return false;
			}
		}
		return true;
	}

	static Path writeTemp(String prefix, String content) {
		try {
			Path file = Files.createTempFile(prefix, ".yaml");
			Files.writeString(file, content);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// a leftover temp file is harmless
		}
	}

	/** Helm refused the chart or the values; the message is Helm's. */
	static final class HelmException extends RuntimeException {

		HelmException(String message) {
			super(message);
		}

	}

}
