package io.tokenbroker.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The published Base44 clients, pinned, fetched from the npm registry into {@code target/base44-clients} on first use
 * and run with the machine's Node. The CLI is fetched with {@code npm pack}: installing it would fail on a dependency
 * hosted outside the registry, which its connector commands do not need.
 */
public final class Base44Clients {

	public static final String SDK = "@base44/sdk@0.8.50";

	static final String CLI = "base44@0.1.18";

	/** Only to check the generated type declaration against the SDK's own types. */
	static final String TYPESCRIPT = "typescript@5.9.3";

	/** Bundles the SDK for a browser page in the tests, as an app's build would. */
	static final String ESBUILD = "esbuild@0.28.2";

	public static final Path ROOT = Path.of("target", "base44-clients").toAbsolutePath();

	private Base44Clients() {
	}

	public record Result(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\nstdout: " + this.stdout + "\nstderr: " + this.stderr;
		}

	}

	public static synchronized void install() {
		try {
			Files.createDirectories(ROOT);
			if (!Files.exists(sdkEntry())) {
				check(run(ROOT, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--prefix",
						ROOT.resolve("sdk").toString(), SDK));
			}
			if (!Files.exists(cliEntry())) {
				Path cli = Files.createDirectories(ROOT.resolve("cli"));
				check(run(cli, Map.of(), "npm", "pack", CLI));
				check(run(cli, Map.of(), "tar", "-xzf", "base44-0.1.18.tgz"));
			}
			Files.createDirectories(home());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** TypeScript beside the SDK, so that a check under {@link #sdkRoot()} resolves {@code @base44/sdk}. */
	static synchronized Path typescriptCompiler() {
		install();
		Path tsc = sdkRoot().resolve("node_modules/typescript/bin/tsc");
		if (!Files.exists(tsc)) {
			check(run(ROOT, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--prefix", sdkRoot().toString(),
					TYPESCRIPT));
		}
		return tsc;
	}

	/**
	 * Bundles an ES module that imports {@code @base44/sdk} into one script for a browser page (an IIFE), with esbuild
	 * installed beside the SDK. Returns the bundle's path.
	 */
	public static synchronized Path browserBundle(String name, String moduleSource) {
		install();
		Path esbuild = sdkRoot().resolve("node_modules/esbuild/bin/esbuild");
		if (!Files.exists(esbuild)) {
			check(run(ROOT, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--prefix", sdkRoot().toString(),
					ESBUILD));
		}
		try {
			Path pages = Files.createDirectories(sdkRoot().resolve("pages"));
			Path entry = Files.writeString(pages.resolve(name + ".mjs"), moduleSource);
			Path bundle = pages.resolve(name + ".bundle.js");
			// Its installer puts the native executable in place of the JavaScript launcher.
			check(run(sdkRoot(), Map.of(), esbuild.toString(), entry.toString(), "--bundle", "--format=iife",
					"--platform=browser", "--target=chrome110", "--log-level=warning", "--outfile=" + bundle));
			return bundle;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Path sdkRoot() {
		return ROOT.resolve("sdk");
	}

	public static Path sdkEntry() {
		return ROOT.resolve("sdk/node_modules/@base44/sdk/dist/index.js");
	}

	static Path cliEntry() {
		return ROOT.resolve("cli/package/bin/run.js");
	}

	/** A writable home for the CLI (it copies its assets there on first run). */
	static Path home() {
		return ROOT.resolve("home");
	}

	public static Result node(Path workingDirectory, Map<String, String> environment, String... arguments) {
		List<String> command = new ArrayList<>(List.of("node"));
		command.addAll(List.of(arguments));
		return run(workingDirectory, environment, command.toArray(String[]::new));
	}

	static Result run(Path workingDirectory, Map<String, String> environment, String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
		// Only what the test sets: no BASE44_* from the machine may change the clients' behaviour.
		builder.environment().keySet().removeIf((name) -> name.startsWith("BASE44_"));
		builder.environment().putAll(environment);
		try {
			Path out = Files.createTempFile("base44-out", ".txt");
			Path err = Files.createTempFile("base44-err", ".txt");
			builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
			Process process = builder.start();
			process.getOutputStream().close();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + String.join(" ", command));
			}
			Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
			return result;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void check(Result result) {
		if (result.exitCode() != 0) {
			throw new IllegalStateException("Fetching the Base44 clients failed: " + result);
		}
	}

}
