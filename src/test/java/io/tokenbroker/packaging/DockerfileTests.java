package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenbroker.packaging.Dockerfile.Instruction;
import io.tokenbroker.packaging.Dockerfile.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** The image definition, read as the builder reads it (no Docker engine needed). */
class DockerfileTests {

	private static Dockerfile dockerfile;

	@BeforeAll
	static void read() throws IOException {
		dockerfile = Dockerfile.read(Path.of("Dockerfile"));
	}

	/** The aot profile adds Spring's ahead-of-time processing for production mode and builds into target/aot/. */
	@Test
	void buildStageCompilesWithTheMavenWrapperOnTemurin17JdkWithAheadOfTimeProcessing() {
		Stage build = dockerfile.stage("build");
		assertThat(build.image()).isEqualTo("eclipse-temurin:17-jdk");
		assertThat(build.all("RUN")).extracting(Instruction::arguments)
			.anySatisfy((run) -> assertThat(run).contains("./mvnw -B -DskipTests -Paot package"))
			.anySatisfy((run) -> assertThat(run).contains("cp target/aot/token-broker-*.jar app.jar"));
		assertThat(build.all("COPY")).extracting(Instruction::arguments)
			.contains("mvnw pom.xml ./", ".mvn .mvn", "src src");
	}

	@Test
	void buildStageExtractsTheLayeredJarAsAPlainJarForTheAheadOfTimeCache() {
		assertThat(dockerfile.stage("build").all("RUN")).extracting(Instruction::arguments)
			.anySatisfy((run) -> assertThat(run)
				.contains("java -Djarmode=tools -jar app.jar extract --layers --destination extracted"));
	}

	/**
	 * The training run starts as every start of the image does (production mode, Spring's ahead-of-time bean
	 * definitions), on a throwaway H2 database and keys, and runs until ready.
	 */
	@Test
	void runtimeStageRecordsAnAheadOfTimeCacheThatEveryStartUses() {
		Stage runtime = dockerfile.finalStage();
		assertThat(runtime.all("RUN")).extracting(Instruction::arguments)
			.anySatisfy((run) -> assertThat(run).contains("-XX:AOTCacheOutput=app.aot")
				.contains("-Dspring.aot.enabled=true")
				.contains("-jar app.jar --spring.profiles.active=prod")
				.contains("--spring.datasource.url=jdbc:h2:file:./aot-training/")
				.contains("http://127.0.0.1:8081/actuator/health/readiness")
				.contains("test -s app.aot && rm -rf aot-training")
				// A cache the JVM cannot map without crashing is dropped, not shipped.
				.contains("java -XX:AOTCache=app.aot -cp app.jar -version")
				.contains("rm -f app.aot"));
		List<String> argv = new Yaml().load(runtime.last("ENTRYPOINT").orElseThrow().arguments());
		assertThat(argv).contains("-XX:AOTCache=app.aot");
	}

	/** Through the launcher's own variable, so that an operator can turn them off without touching the rest. */
	@Test
	void runtimeUsesTheAheadOfTimeBeanDefinitions() {
		assertThat(dockerfile.finalStage().env()).containsEntry("JDK_JAVA_OPTIONS", "-Dspring.aot.enabled=true");
	}

	/** The build stays on JDK 17 (classes for release 17); the image runs them on JDK 25 for its faster start. */
	@Test
	void runtimeStageIsTemurin25Jre() {
		assertThat(dockerfile.stages()).hasSize(2);
		assertThat(dockerfile.finalStage().image()).isEqualTo("eclipse-temurin:25-jre");
	}

	/** The health check and the training run call curl, which the Temurin 25 images no longer ship. */
	@Test
	void runtimeStageInstallsCurl() {
		assertThat(dockerfile.finalStage().all("RUN")).extracting(Instruction::arguments)
			.anySatisfy((run) -> assertThat(run).contains("apt-get install -y --no-install-recommends curl")
				.contains("rm -rf /var/lib/apt/lists/*"));
	}

	@Test
	void layersAreCopiedFromLeastToMostOftenChanged() {
		List<String> copies = dockerfile.finalStage()
			.all("COPY")
			.stream()
			.map(Instruction::arguments)
			.filter((args) -> args.startsWith("--from=build"))
			.toList();
		assertThat(copies).containsExactly("--from=build /workspace/extracted/dependencies/ ./",
				"--from=build /workspace/extracted/snapshot-dependencies/ ./",
				"--from=build /workspace/extracted/application/ ./");
	}

	@Test
	void runtimeRunsAsNumericNonRootUser10001() {
		Stage runtime = dockerfile.finalStage();
		// Numeric, because Kubernetes' runAsNonRoot cannot check a user name.
		assertThat(runtime.last("USER")).map(Instruction::arguments).hasValue("10001:10001");
		assertThat(runtime.all("RUN")).extracting(Instruction::arguments)
			.anySatisfy((run) -> assertThat(run).contains("useradd").contains("--uid 10001"));
		int user = runtime.instructions().indexOf(runtime.last("USER").orElseThrow());
		assertThat(runtime.instructions().subList(user, runtime.instructions().size()))
			.extracting(Instruction::keyword)
			.doesNotContain("RUN", "COPY", "ADD");
	}

	@Test
	void applicationFilesStayOwnedByRootSoTheBrokerCannotRewriteThem() {
		assertThat(dockerfile.finalStage().all("COPY")).extracting(Instruction::arguments)
			.noneSatisfy((args) -> assertThat(args).contains("--chown"));
	}

	@Test
	void runtimeWritesOnlyToTmp() {
		Stage runtime = dockerfile.finalStage();
		assertThat(runtime.env().get("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");
		// A VOLUME would give the broker a writable path that a read-only root filesystem does not cover.
		assertThat(runtime.all("VOLUME")).isEmpty();
	}

	@Test
	void heapIsSizedFromTheContainerMemoryLimit() {
		assertThat(dockerfile.finalStage().env().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
	}

	/** From the JVM's default of 1/64 of the limit, the start spent a third of a second in young collections. */
	@Test
	void heapStartsAtAnEighthOfTheContainerMemoryLimit() {
		assertThat(dockerfile.finalStage().env().get("JAVA_TOOL_OPTIONS")).contains("-XX:InitialRAMPercentage=12.5");
	}

	@Test
	void prodProfileIsActiveByDefault() {
		assertThat(dockerfile.finalStage().env()).containsEntry("SPRING_PROFILES_ACTIVE", "prod");
	}

	@Test
	void healthcheckProbesReadinessWithCurlOnTheLoopbackManagementPort() {
		Instruction healthcheck = dockerfile.finalStage().last("HEALTHCHECK").orElseThrow();
		String command = healthcheck.arguments().substring(healthcheck.arguments().indexOf("CMD ") + 4);
		assertThat(command).startsWith("curl ")
			.contains(" -f")
			.contains("http://127.0.0.1:8081/actuator/health/readiness");
	}

	@Test
	void healthcheckTimesOutBeforeTheNextProbe() {
		String options = dockerfile.finalStage().last("HEALTHCHECK").orElseThrow().arguments();
		assertThat(seconds(options, "--timeout")).isLessThan(seconds(options, "--interval"));
		assertThat(seconds(options, "--start-period")).isGreaterThanOrEqualTo(60);
	}

	@Test
	void entrypointIsExecFormSoTheJvmReceivesSigterm() {
		String entrypoint = dockerfile.finalStage().last("ENTRYPOINT").orElseThrow().arguments();
		assertThat(entrypoint).startsWith("[");
		// JSON is YAML: a flow sequence of strings.
		List<String> argv = new Yaml().load(entrypoint);
		assertThat(argv).containsExactly("java", "-XX:AOTCache=app.aot", "-jar", "app.jar");
		assertThat(dockerfile.finalStage().all("CMD")).isEmpty();
	}

	@Test
	void apiAndManagementPortsAreExposed() {
		assertThat(dockerfile.finalStage().all("EXPOSE")).extracting(Instruction::arguments)
			.containsExactly("8080 8081");
	}

	@Test
	void dockerignoreKeepsBuildOutputLocalDataAndSecretsOutOfTheContext() throws IOException {
		List<String> patterns = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.map((line) -> line.endsWith("/") ? line.substring(0, line.length() - 1) : line)
			.toList();
		assertThat(patterns).contains("target", "data", ".git", "bench/results", ".env");
		// The build stage copies these, so they must reach the context.
		assertThat(patterns).doesNotContain("src", "pom.xml", "mvnw", ".mvn");
	}

	private static int seconds(String options, String option) {
		Matcher matcher = Pattern.compile(Pattern.quote(option) + "=(\\d+)s").matcher(options);
		assertThat(matcher.find()).as("%s in %s", option, options).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
