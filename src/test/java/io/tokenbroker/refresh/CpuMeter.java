package io.tokenbroker.refresh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

	/** {jvm without the stub, stub, database sessions, all of PostgreSQL}, in CPU seconds. */
	double[] read() {
		double stub = stubSeconds();
		double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
		return new double[] { jvm - stub, stub, postgres(true), postgres(false) };
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

	private double postgres(boolean onlyThisDatabase) {
		double ticks = 0;
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : (Iterable<Path>) processes::iterator) {
				if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String title = Files.readString(process.resolve("cmdline"), StandardCharsets.UTF_8);
					boolean postgres = title.startsWith("postgres");
					boolean ours = title.contains(" " + this.database + " ");
					if (postgres && (!onlyThisDatabase || ours)) {
						String stat = Files.readString(process.resolve("stat"));
						String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
						// utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
						ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					}
				}
				catch (IOException | RuntimeException ex) {
					// The process ended meanwhile, or is not ours to read.
				}
			}
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		return ticks / TICKS_PER_SECOND;
	}

}
