package io.tokenbroker.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tokenbroker.BrokerApplication;

/**
 * A production-mode broker in a JVM of its own, on the test classpath: a replica that can be killed with SIGKILL
 * (no shutdown hook, no graceful stop, leases left as they were). Its output goes to {@code target/<name>.log}.
 */
public final class BrokerProcess implements AutoCloseable {

	private final Process process;

	private final BrokerClient client;

	private BrokerProcess(Process process, int port) {
		this.process = process;
		this.client = new BrokerClient("http://127.0.0.1:" + port);
	}

	/** Starts the broker on {@code databaseUrl} and waits until its API answers. */
	public static BrokerProcess start(String name, String databaseUrl, Map<String, String> overrides,
			Duration startupTimeout) {
		int port = FreePorts.next();
		Map<String, String> p = new LinkedHashMap<>();
		p.put("spring.profiles.active", "prod");
		p.put("server.port", Integer.toString(port));
		p.put("management.server.port", Integer.toString(FreePorts.next()));
		p.put("broker.public-url", "http://127.0.0.1:" + port);
		p.put("spring.datasource.url", databaseUrl);
		p.put("spring.datasource.username", TestDatabase.username());
		p.put("spring.datasource.password", TestDatabase.password());
		p.put("spring.datasource.hikari.maximum-pool-size", "5");
		p.put("broker.crypto.keyset", TestKeys.KEYSET);
		p.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		p.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		p.put("broker.refresh.scheduler-enabled", "false");
		p.putAll(overrides);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath(), BrokerApplication.class.getName()));
		p.forEach((k, v) -> command.add("--" + k + "=" + v));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(new File("target", name + ".log"))
				.start();
			BrokerProcess broker = new BrokerProcess(process, port);
			broker.awaitApi(startupTimeout);
			return broker;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public BrokerClient client() {
		return this.client;
	}

	/** SIGKILL: the process ends at once, whatever it was doing. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitApi(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The broker process exited with " + this.process.exitValue());
			}
			try {
				if (this.client.get("/connectors", null).status() == 401) {
					return;
				}
			}
			catch (IllegalStateException notYet) {
				// Not listening yet.
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		kill();
		throw new IllegalStateException("The broker process did not start within " + timeout);
	}

	/** The test classpath: surefire's own property (java.class.path may be only its booter jar). */
	private static String classpath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
