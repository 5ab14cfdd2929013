package io.tokenbroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.springframework.beans.factory.annotation.Autowired;

/** The module boundaries the code relies on, checked on every build. */
class ArchitectureTests {

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tokenbroker");

	@Test
	void onlyCryptoTouchesTink() {
		assertHolds(noClasses().that()
			.resideOutsideOfPackage("io.tokenbroker.crypto..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.google.crypto.tink.."));
	}

	@Test
	void onlyOauthAndProxyTalkToProvidersThroughFeign() {
		assertHolds(noClasses().that()
			.resideOutsideOfPackages("io.tokenbroker.oauth..", "io.tokenbroker.proxy..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("feign.."));
	}

	@Test
	void problemVocabularyDependsOnNoFeature() {
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.problem..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.catalog..", "io.tokenbroker.connector..",
					"io.tokenbroker.connection..", "io.tokenbroker.oauth..", "io.tokenbroker.authflow..",
					"io.tokenbroker.api..", "io.tokenbroker.security.."));
	}

	@Test
	void catalogKnowsNothingOfConnectorsOrHttpClients() {
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.catalog..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.connector..", "io.tokenbroker.connection..",
					"io.tokenbroker.oauth..", "io.tokenbroker.authflow..", "io.tokenbroker.api.."));
	}

	@Test
	void connectorsDoNotReachIntoConnectionsOrFlows() {
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.connector..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.connection..", "io.tokenbroker.authflow..", "io.tokenbroker.api.."));
	}

	@Test
	void connectionsDoNotDependOnTheFlowOrTheWebLayer() {
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.connection..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.authflow..", "io.tokenbroker.api.."));
	}

	@Test
	void refreshSchedulerDecidesOnlyWhenAndLeavesTheSemanticsToConnections() {
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.refresh..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.oauth..", "io.tokenbroker.catalog..", "io.tokenbroker.crypto..",
					"io.tokenbroker.api..", "org.springframework.jdbc.."));
		assertHolds(noClasses().that()
			.resideInAPackage("io.tokenbroker.connection..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tokenbroker.refresh.."));
	}

	@Test
	void auditAndLimitsDependOnNoFeature() {
		assertHolds(noClasses().that()
			.resideInAnyPackage("io.tokenbroker.audit..", "io.tokenbroker.limits..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenbroker.catalog..", "io.tokenbroker.connector..",
					"io.tokenbroker.connection..", "io.tokenbroker.oauth..", "io.tokenbroker.authflow..",
					"io.tokenbroker.api..", "io.tokenbroker.security.."));
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

}
