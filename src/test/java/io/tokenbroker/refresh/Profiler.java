package io.tokenbroker.refresh;

import java.io.IOException;

/**
 * CPU profiling of one benchmark run with async-profiler, when {@code bench.profile} names its library and
 * {@code bench.profile-out} the collapsed-stacks file to write: loaded into this JVM with {@code jcmd}, as
 * bench/hotpath.sh does for a running broker.
 */
final class Profiler {

	private final String library;

	private Profiler(String library) {
		this.library = library;
	}

	static Profiler startIf(boolean wanted) throws IOException, InterruptedException {
		String library = System.getProperty("bench.profile");
		if (!wanted || library == null || library.isBlank()) {
			return new Profiler(null);
		}
		Profiler profiler = new Profiler(library);
		profiler.command("start,event=cpu,interval=1ms");
		return profiler;
	}

	void stop() throws IOException, InterruptedException {
		if (this.library != null) {
			command("stop,file=" + System.getProperty("bench.profile-out", "refresh.collapsed") + ",collapsed");
		}
	}

	private void command(String options) throws IOException, InterruptedException {
		// jcmd would read "event=cpu" as an option of its own: the agent's options go in quotes.
		Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "JVMTI.agent_load",
				this.library, "\"" + options + "\"")
			.inheritIO()
			.start();
		if (jcmd.waitFor() != 0) {
			throw new IOException("jcmd JVMTI.agent_load failed");
		}
	}

}
