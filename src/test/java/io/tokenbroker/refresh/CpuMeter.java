package io.tokenbroker.refresh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds used so far, for the refresher benchmark: this JVM (the brokers, plus the stub, reported apart), the
 * PostgreSQL sessions of the benchmark's database, and every PostgreSQL process (WAL writer, checkpointer,
 * autovacuum and other databases' sessions included). PostgreSQL figures come from /proc and exist only when the
 * server runs on this machine; a process that ended between two readings takes its CPU time with it.
 */
final class CpuMeter {

	/** Linux's USER_HZ, the unit of /proc/[pid]/stat's times, on every architecture the JDK runs on. */
	private static final double TICKS_PER_SECOND = 100;

	private final String database;

	private final String stubThreadPrefix;

	CpuMeter(String database, String stubThreadPrefix) {
		this.database = database;
		this.stubThreadPrefix = stubThreadPrefix;
	}

	/** What has been used so far. */
	Reading read() {
		double stub = stubSeconds();
		double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
		Map<String, Long> ours = new HashMap<>();
		Map<String, Long> all = new HashMap<>();
		postgres(ours, all);
		return new Reading(jvm - stub, stub, ours, all);
	}

	/**
	 * CPU seconds so far; PostgreSQL's per process (by pid), so that sessions that end or start in between (other
	 * databases' clients come and go) do not count with their whole lives.
	 */
	record Reading(double jvm, double stub, Map<String, Long> database, Map<String, Long> postgres) {

		/** {jvm without the stub, stub, database sessions, all of PostgreSQL} used since {@code before}. */
		double[] since(Reading before) {
			return new double[] { this.jvm - before.jvm, this.stub - before.stub, ticks(this.database, before.database),
					ticks(this.postgres, before.postgres) };
		}

		private static double ticks(Map<String, Long> after, Map<String, Long> before) {
			long sum = 0;
			for (Map.Entry<String, Long> process : after.entrySet()) {
				sum += Math.max(0, process.getValue() - before.getOrDefault(process.getKey(), 0L));
			}
			return sum / TICKS_PER_SECOND;
		}

	}

	private double stubSeconds() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long nanos = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			String name = thread.getName();
			if (name.startsWith(this.stubThreadPrefix) || name.startsWith("HTTP-Dispatcher")) {
				nanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
			}
		}
		return nanos / 1e9;
	}

	private void postgres(Map<String, Long> ours, Map<String, Long> all) {
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : (Iterable<Path>) processes::iterator) {
				String pid = process.getFileName().toString();
				if (!pid.chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String title = Files.readString(process.resolve("cmdline"), StandardCharsets.UTF_8);
					if (!title.startsWith("postgres")) {
						continue;
					}
					String stat = Files.readString(process.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					// utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
					long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					all.put(pid, ticks);
					if (title.contains(" " + this.database + " ")) {
						ours.put(pid, ticks);
					}
				}
				catch (IOException | RuntimeException ex) {
					// The process ended meanwhile, or is not ours to read.
				}
			}
		}
		catch (IOException ex) {
			// No /proc: no PostgreSQL figures.
		}
	}

}
