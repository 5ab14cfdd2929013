package io.tokenbroker.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The replica-kill drill's brokers: processes of the packaged jar in production mode on one database, each on its own
 * pair of ports, stopped with SIGTERM or SIGKILL and started again. A replica counts as up from its readiness until
 * it is told to stop, as a load balancer would see it.
 */
final class DrillReplicas implements AutoCloseable {

	private final String jar;

	private final List<String> jvmOptions;

	private final Map<String, String> settings;

	private final int basePort;

	private final Path logs;

	private final AtomicReferenceArray<Process> processes;

	private final AtomicReferenceArray<Boolean> up;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	DrillReplicas(String jar, List<String> jvmOptions, int count, int basePort, Map<String, String> settings,
			Path logs) {
		this.jar = jar;
		this.jvmOptions = jvmOptions;
		this.settings = settings;
		this.basePort = basePort;
		this.logs = logs;
		this.processes = new AtomicReferenceArray<>(count);
		this.up = new AtomicReferenceArray<>(count);
		for (int i = 0; i < count; i++) {
			this.up.set(i, false);
		}
	}

	int size() {
		return this.processes.length();
	}

	String url(int replica) {
		return "http://127.0.0.1:" + (this.basePort + 2 * replica);
	}

	/** Starts the replica and waits until it is ready (Actuator's readiness probe answers 200). */
	void start(int replica, Duration timeout) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(this.jvmOptions);
		command.addAll(List.of("-jar", this.jar));
		this.settings.forEach((name, value) -> command.add("--" + name + "=" + value));
		int port = this.basePort + 2 * replica;
		command.add("--server.port=" + port);
		command.add("--management.server.port=" + (port + 1));
		command.add("--broker.public-url=" + url(replica));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logs.resolve("broker-" + replica + ".log").toFile()))
			.start();
		this.processes.set(replica, process);
		HttpRequest readiness = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + (port + 1) + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("Replica " + replica + " exited with " + process.exitValue());
			}
			try {
				if (this.http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					this.up.set(replica, true);
					return;
				}
			}
			catch (IOException notYet) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		process.destroyForcibly();
		throw new IllegalStateException("Replica " + replica + " was not ready within " + timeout);
	}

	/**
	 * Stops the replica: SIGTERM (taken out of the read rotation first, as a load balancer stops routing to a pod
	 * before it is told to stop) or SIGKILL (taken out after: requests on their way are cut off). Waits until the
	 * process has exited.
	 */
	void stop(int replica, boolean kill) throws InterruptedException {
		Process process = this.processes.get(replica);
		if (kill) {
			process.destroyForcibly();
			this.up.set(replica, false);
		}
		else {
			this.up.set(replica, false);
			process.destroy();
		}
		process.waitFor();
	}

	boolean isUp(int replica) {
		return this.up.get(replica);
	}

	List<Integer> upReplicas() {
		List<Integer> ready = new ArrayList<>();
		for (int i = 0; i < size(); i++) {
			if (this.up.get(i)) {
				ready.add(i);
			}
		}
		return ready;
	}

	/** Stops every replica with SIGTERM. */
	@Override
	public void close() {
		for (int i = 0; i < size(); i++) {
			Process process = this.processes.get(i);
			if (process != null && process.isAlive()) {
				this.up.set(i, false);
				process.destroy();
			}
		}
		for (int i = 0; i < size(); i++) {
			Process process = this.processes.get(i);
			if (process != null) {
				try {
					process.waitFor();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					process.destroyForcibly();
				}
			}
		}
	}

}
