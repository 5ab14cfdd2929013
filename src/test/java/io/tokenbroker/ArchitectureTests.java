package io.tokenbroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.repository.Repository;

/** The module boundaries the code relies on, checked on every build. */
class ArchitectureTests {

	private static final String BASE = "io.tokenbroker";

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BASE);

	/**
	 * Every top-level package and the packages it may use; anything else is forbidden. Read top-down, it is the map of
	 * the broker: vocabulary and building blocks first, then the features built on them, then the surfaces.
	 */
	private static final Map<String, Set<String>> MAY_DEPEND_ON = table(
			// shared vocabulary and building blocks
			"problem",    "",
			"crypto",     "",
			"catalog",    "problem",
			"oauth",      "catalog egress problem",
			"audit",      "problem",
			"limits",     "problem",
			"origins",    "problem",
			"egress",     "problem",
			// the features
			"connector",  "audit catalog problem webhook",
			"connection", "audit catalog connector crypto oauth problem webhook",
			"authflow",   "audit catalog connection connector crypto oauth origins problem security",
			"refresh",    "connection",
			// connection events: written by the features in their own transactions, delivered to apps
			"webhook",    "crypto egress problem security",
			// who is calling
			"security",   "origins problem",
			"apikey",     "connector problem security",
			// the surfaces
			"api",        "audit authflow catalog connection connector origins problem security",
			"proxy",      "catalog connection egress limits problem security",
			"compat",     "authflow catalog connection connector problem proxy security",
			"console",    "authflow catalog connection connector problem security webhook",
			"bench",      "connection security",
			"dev",        "authflow connector crypto security");

	@Test
	void everyPackageIsInTheTable() {
		Set<String> packages = new TreeSet<>();
		MAIN.stream()
			.map(JavaClass::getPackageName)
			.filter((name) -> name.startsWith(BASE + "."))
			.map((name) -> name.substring(BASE.length() + 1).split("\\.")[0])
			.forEach(packages::add);
		assertThat(packages).as("top-level packages").isEqualTo(new TreeSet<>(MAY_DEPEND_ON.keySet()));
	}

	@Test
	void everyPackageDependsOnlyOnWhatTheTableAllows() {
		LayeredArchitecture architecture = Architectures.layeredArchitecture()
			.consideringOnlyDependenciesInLayers();
		for (String module : MAY_DEPEND_ON.keySet()) {
			architecture = architecture.layer(module).definedBy(BASE + "." + module + "..");
		}
		for (Map.Entry<String, Set<String>> entry : MAY_DEPEND_ON.entrySet()) {
			String[] allowed = entry.getValue().toArray(String[]::new);
			architecture = (allowed.length == 0) ? architecture.whereLayer(entry.getKey()).mayNotAccessAnyLayer()
					: architecture.whereLayer(entry.getKey()).mayOnlyAccessLayers(allowed);
		}
		assertHolds(architecture);
	}

	@Test
	void topLevelPackagesAreFreeOfCycles() {
		assertHolds(slices().matching(BASE + ".(*)..").should().beFreeOfCycles());
	}

	/** The Base44 surface translates the wire protocol onto the services; it keeps no state and holds no secret. */
	@Test
	void compatOnlyTranslates() {
		assertHolds(noClasses().that()
			.resideInAPackage(BASE + ".compat..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.jdbc..", "org.springframework.data..", "jakarta.persistence..",
					"javax.crypto..", "com.google.crypto.tink..", BASE + ".crypto..")
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(Repository.class));
	}

	/** Surfaces reach the database only through their feature's services. */
	@Test
	void webSurfacesDoNotTouchTheDatabase() {
		assertHolds(noClasses().that()
			.resideInAnyPackage(BASE + ".api..", BASE + ".compat..", BASE + ".proxy..", BASE + ".bench..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "jakarta.persistence..")
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(Repository.class));
	}

	@Test
	void onlyCryptoTouchesTink() {
		assertHolds(noClasses().that()
			.resideOutsideOfPackage(BASE + ".crypto..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.google.crypto.tink.."));
	}

	@Test
	void onlyOauthAndProxyTalkToProvidersThroughFeign() {
		assertHolds(noClasses().that()
			.resideOutsideOfPackages(BASE + ".oauth..", BASE + ".proxy..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("feign.."));
	}

	/** The scheduler decides only when; what a refresh means, and the SQL behind it, stay in connection. */
	@Test
	void refreshSchedulerLeavesPersistenceToConnections() {
		assertHolds(noClasses().that()
			.resideInAPackage(BASE + ".refresh..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.jdbc..", "java.sql.."));
	}

	@Test
	void securityKnowsNoFeatureThatDeclaresRoutes() {
		// Routes declare their own access rules beside themselves; the filter chains name none of them.
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.security..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.bench..", "io.tokenbroker.api..", "io.tokenbroker.compat..",
					"io.tokenbroker.console..", "io.tokenbroker.dev..", "io.tokenbroker.apikey..",
					"io.tokenbroker.proxy..", "io.tokenbroker.authflow.."));
	}

	@Test
	void noFieldInjection() {
		assertHolds(fields().should().notBeAnnotatedWith(Autowired.class));
	}

	/** Fails with the list of violating classes and dependencies. */
	private static void assertHolds(ArchRule rule) {
		rule.check(MAIN);
	}

	/** Pairs of package and space-separated allowed packages, in the order written. */
	private static Map<String, Set<String>> table(String... rows) {
		Map<String, Set<String>> table = new LinkedHashMap<>();
		for (int i = 0; i < rows.length; i += 2) {
			Set<String> allowed = new TreeSet<>(Arrays.asList(rows[i + 1].split(" ")));
			allowed.remove("");
			table.put(rows[i], allowed);
		}
		return table;
	}

}
