package io.tokenbroker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.tokenbroker.BrokerApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Starts the broker (arguments as for the broker) with a recorder of every startup step, and prints each step's own
 * CPU and wall time (its children's subtracted), then stops. The CPU time of the thread that ran a step hardly moves
 * with the machine's load, unlike wall time, so the shares it gives are the start's own costs. Used by
 * bench/startup.sh; see BENCHMARKS.md ("Where the start goes").
 */
public final class StartupCosts {

	private StartupCosts() {
	}

	public static void main(String[] args) {
		long mainAt = System.nanoTime();
		Recorder recorder = new Recorder();
		SpringApplication application = new SpringApplication(BrokerApplication.class);
		// Not this class: with -Dspring.aot.enabled=true, Spring Boot looks for the generated definitions by its name.
		application.setMainApplicationClass(BrokerApplication.class);
		application.setApplicationStartup(recorder);
		ConfigurableApplicationContext context = application.run(args);
		long readyMs = (System.nanoTime() - mainAt) / 1_000_000;
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		System.out.printf("TOTAL main-to-ready-ms %d main-thread-cpu-ms %d process-cpu-ms %d classes %d beans %d%n",
				readyMs, threads.getCurrentThreadCpuTime() / 1_000_000, processCpu / 1_000_000,
				ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(), context.getBeanDefinitionCount());
		List<Step> steps = new ArrayList<>(recorder.ended);
		steps.sort(Comparator.comparingLong(Step::selfCpu).reversed());
		for (Step step : steps) {
			System.out.printf("STEP %.1f %.1f %s%n", step.selfCpu() / 1e6, step.selfWall() / 1e6, step.label());
		}
		context.close();
	}

	/** Steps begin and end on the thread that runs them, so each thread keeps its own stack of open steps. */
	private static final class Recorder implements ApplicationStartup {

		private final List<Step> ended = Collections.synchronizedList(new ArrayList<>());

		private final ThreadLocal<Deque<Step>> open = ThreadLocal.withInitial(ArrayDeque::new);

		private final AtomicLong ids = new AtomicLong();

		@Override
		public StartupStep start(String name) {
			Step step = new Step(this, name, this.open.get().peek());
			this.open.get().push(step);
			return step;
		}

	}

	private static final class Step implements StartupStep {

		private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

		private final Recorder recorder;

		private final long id;

		private final Step parent;

		private final String name;

		private final List<Tag> tags = new ArrayList<>();

		private final long wallAtStart = System.nanoTime();

		private final long cpuAtStart = THREADS.getCurrentThreadCpuTime();

		private long wall;

		private long cpu;

		private long childrenWall;

		private long childrenCpu;

		Step(Recorder recorder, String name, Step parent) {
			this.recorder = recorder;
			this.id = recorder.ids.incrementAndGet();
			this.name = name;
			this.parent = parent;
		}

		long selfCpu() {
			return this.cpu - this.childrenCpu;
		}

		long selfWall() {
			return this.wall - this.childrenWall;
		}

		String label() {
			StringBuilder label = new StringBuilder(this.name);
			for (Tag tag : this.tags) {
				if (tag.getKey().equals("beanName") || tag.getKey().equals("postProcessor")) {
					label.append(' ').append(tag.getKey()).append('=').append(tag.getValue().replaceAll("@\\p{XDigit}+$", ""));
				}
			}
			return label.toString();
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public long getId() {
			return this.id;
		}

		@Override
		public Long getParentId() {
			return (this.parent != null) ? this.parent.id : null;
		}

		@Override
		public StartupStep tag(String key, String value) {
			this.tags.add(new Tag() {

				@Override
				public String getKey() {
					return key;
				}

				@Override
				public String getValue() {
					return value;
				}

			});
			return this;
		}

		@Override
		public StartupStep tag(String key, Supplier<String> value) {
			return tag(key, value.get());
		}

		@Override
		public Tags getTags() {
			return this.tags::iterator;
		}

		@Override
		public void end() {
			this.wall = System.nanoTime() - this.wallAtStart;
			this.cpu = THREADS.getCurrentThreadCpuTime() - this.cpuAtStart;
			this.recorder.open.get().remove(this);
			if (this.parent != null) {
				this.parent.childrenWall += this.wall;
				this.parent.childrenCpu += this.cpu;
			}
			this.recorder.ended.add(this);
		}

	}

}
