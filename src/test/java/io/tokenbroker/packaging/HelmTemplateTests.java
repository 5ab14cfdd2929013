package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tokenbroker.packaging.HelmRenderer.HelmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static io.tokenbroker.packaging.HelmRenderer.CHART;
import static io.tokenbroker.packaging.Yamls.at;
import static io.tokenbroker.packaging.Yamls.listAt;
import static io.tokenbroker.packaging.Yamls.map;
import static io.tokenbroker.packaging.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart rendered by Helm's own engine, with its values schema applied, as {@code helm template} and
 * {@code helm install} would.
 */
class HelmTemplateTests {

	private static final String RELEASE = "tb";

	private static final String FULLNAME = "tb-token-broker";

	@Test
	void defaultsRunTwoReplicas() {
		assertThat(at(render().one("Deployment"), "spec", "replicas")).isEqualTo(2);
	}

	@Test
	void replicasAreSpreadAcrossNodes() {
		Manifests manifests = render();
		Map<String, Object> constraint = map(listAt(manifests.podSpec(), "topologySpreadConstraints").get(0));
		assertThat(constraint).containsEntry("topologyKey", "kubernetes.io/hostname").containsEntry("maxSkew", 1);
		assertThat(at(constraint, "labelSelector", "matchLabels"))
			.isEqualTo(at(manifests.one("Deployment"), "spec", "selector", "matchLabels"));
	}

	@Test
	void probesUseTheActuatorHealthGroupsOnTheManagementPort() {
		Map<String, Object> container = render().container();
		assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(Stream.of("readinessProbe", "livenessProbe", "startupProbe")
			.map((probe) -> at(container, probe, "httpGet", "port"))).containsOnly("management");
	}

	@Test
	void containerNamesItsApiAndManagementPorts() {
		assertThat(listAt(render().container(), "ports")).containsExactly(
				Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
				Map.of("name", "management", "containerPort", 8081, "protocol", "TCP"));
	}

	@Test
	void startupProbeLeavesAtLeastTwoMinutesForDatabaseMigrations() {
		Map<String, Object> startup = mapAt(render().container(), "startupProbe");
		assertThat((int) startup.get("periodSeconds") * (int) startup.get("failureThreshold"))
			.isGreaterThanOrEqualTo(120);
	}

	@Test
	void containerRunsAsNonRootWithReadOnlyRootFilesystemAndNoCapabilities() {
		Manifests manifests = render();
		assertThat(mapAt(manifests.podSpec(), "securityContext")).containsEntry("runAsNonRoot", true)
			.containsEntry("runAsUser", 10001);
		assertThat(mapAt(manifests.container(), "securityContext")).containsEntry("runAsNonRoot", true)
			.containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false)
			.containsEntry("capabilities", Map.of("drop", List.of("ALL")));
	}

	@Test
	void tmpIsAWritableEmptyDir() {
		Manifests manifests = render();
		assertThat(listAt(manifests.container(), "volumeMounts"))
			.contains(Map.of("name", "tmp", "mountPath", "/tmp"));
		assertThat(listAt(manifests.podSpec(), "volumes")).map(Yamls::map)
			.filteredOn((volume) -> "tmp".equals(volume.get("name")))
			.singleElement()
			.satisfies((volume) -> assertThat(volume).containsKey("emptyDir"));
	}

	@Test
	void podsGetNoKubernetesApiToken() {
		Manifests manifests = render();
		assertThat(manifests.podSpec()).containsEntry("automountServiceAccountToken", false)
			.containsEntry("serviceAccountName", FULLNAME);
		assertThat(manifests.one("ServiceAccount")).containsEntry("automountServiceAccountToken", false);
	}

	@Test
	void podsPauseBeforeShuttingDownAndTheGracePeriodCoversPauseAndDrain() {
		Manifests manifests = render();
		assertThat(at(manifests.container(), "lifecycle", "preStop", "exec", "command"))
			.isEqualTo(List.of("sleep", "10"));
		// 10 s pause + refreshes in flight and request drain (spring.lifecycle.timeout-per-shutdown-phase, 30 s each)
		// < 75 s.
		assertThat(manifests.podSpec()).containsEntry("terminationGracePeriodSeconds", 75);
	}

	@Test
	void renderingFailsWhenTheGracePeriodDoesNotCoverPauseAndDrain() {
		assertThatThrownBy(() -> render(values("preStopSleepSeconds", 15, "terminationGracePeriodSeconds", 30)))
			.isInstanceOf(HelmException.class)
			.hasMessageContaining("terminationGracePeriodSeconds must exceed preStopSleepSeconds");
	}

	@Test
	void keysetAndSecretsCanBeMountedAsFilesThroughExtraVolumes() {
		Manifests manifests = render(values("extraVolumes",
				List.of(Map.of("name", "broker-keys", "secret", Map.of("secretName", "broker-keys"))),
				"extraVolumeMounts",
				List.of(Map.of("name", "broker-keys", "mountPath", "/etc/broker/keys", "readOnly", true)), "extraEnv",
				List.of(Map.of("name", "BROKER_CRYPTO_KEYSETFILE", "value", "file:/etc/broker/keys/keyset.json"),
						Map.of("name", "SPRING_CONFIG_IMPORT", "value", "optional:configtree:/etc/broker/keys/"))));
		assertThat(listAt(manifests.podSpec(), "volumes"))
			.contains(Map.of("name", "broker-keys", "secret", Map.of("secretName", "broker-keys")));
		assertThat(listAt(manifests.container(), "volumeMounts"))
			.contains(Map.of("name", "broker-keys", "mountPath", "/etc/broker/keys", "readOnly", true),
					Map.of("name", "tmp", "mountPath", "/tmp"));
		assertThat(manifests.env()).containsEntry("BROKER_CRYPTO_KEYSETFILE", "file:/etc/broker/keys/keyset.json")
			.containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/etc/broker/keys/");
	}

	@Test
	void imageCanBePinnedByDigest() {
		String digest = "sha256:" + "a1".repeat(32);
		assertThat(render(values("image", Map.of("repository", "registry.example.com/token-broker", "tag", "1.2.3",
				"digest", digest))).container())
			.containsEntry("image", "registry.example.com/token-broker:1.2.3@" + digest);
		assertThatThrownBy(() -> render(values("image", Map.of("repository", "token-broker", "digest", "latest"))))
			.isInstanceOf(HelmException.class);
	}

	@Test
	void forwardedHeadersAreBelievedOnlyFromTheTrustedProxies() {
		String trusted = (String) render().env().get("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES");
		Pattern proxies = Pattern.compile(trusted);
		assertThat(List.of("10.12.0.7", "192.168.1.20", "172.16.4.1", "172.31.255.255"))
			.allMatch((address) -> proxies.matcher(address).matches());
		assertThat(List.of("203.0.113.5", "172.32.0.1", "8.8.8.8", "110.0.0.1"))
			.noneMatch((address) -> proxies.matcher(address).matches());
		assertThat(render(values("trustedProxies", "10\\.0\\.3\\.\\d+")).env())
			.containsEntry("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES", "10\\.0\\.3\\.\\d+");
	}

	@Test
	void prometheusRuleAlertsOnTheRecommendedSignalsOfThisRelease() {
		Manifests manifests = render(values("metrics", Map.of("prometheusRule",
				Map.of("enabled", true, "labels", Map.of("release", "prometheus")))));
		Map<String, Object> rule = manifests.one("PrometheusRule");
		assertThat(at(rule, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(at(rule, "metadata", "labels", "release")).isEqualTo("prometheus");
		List<Map<String, Object>> alerts = listAt(map(listAt(rule, "spec", "groups").get(0)), "rules").stream()
			.map(Yamls::map)
			.toList();
		assertThat(alerts).extracting((alert) -> alert.get("alert"))
			.containsExactly("TokenBrokerReplicaDown", "TokenBrokerRefreshesFailing", "TokenBrokerConnectionsExpiring");
		assertThat(alerts).extracting((alert) -> (String) alert.get("expr"))
			.allSatisfy((expr) -> assertThat(expr).contains("job=\"" + FULLNAME + "\""))
			.anySatisfy((expr) -> assertThat(expr).contains("up{").endsWith("== 0"))
			.anySatisfy((expr) -> assertThat(expr).contains("broker_refresh_attempts_total").contains("outcome=\"failure\""))
			.anySatisfy((expr) -> assertThat(expr).contains("broker_connections").contains("status=\"expired\""));
		assertThat(alerts.get(1).get("annotations").toString()).contains("{{ $labels.provider }}");
	}

	@Test
	void helmTestAsksTheServiceWhetherTheBrokerIsReady(@TempDir Path work) throws IOException {
		String hook = "\"helm.sh/hook\": test";
		Path test = Path.of("templates", "tests", "readiness.yaml");
		assertThat(Files.readString(CHART.resolve(test))).contains(hook);
		// Helm's template command leaves hooks out of what it renders: render the pod as a plain object instead.
		Path chart = copyChart(work);
		Files.writeString(chart.resolve(test), Files.readString(chart.resolve(test)).replace(hook, "hook: test"));
		Manifests manifests = Manifests.parse(HelmRenderer.template(chart, RELEASE, values()));
		Map<String, Object> pod = manifests.one("Pod");
		assertThat(at(pod, "metadata", "annotations", "hook")).isEqualTo("test");
		Map<String, Object> container = map(listAt(pod, "spec", "containers").get(0));
		assertThat(listAt(container, "command")).contains("curl")
			.contains("http://" + FULLNAME + ":8081/actuator/health/readiness");
		assertThat(container).containsEntry("image", manifests.container().get("image"));
		assertThat(mapAt(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
		// Not one of the broker's pods: the Service must not send it traffic.
		assertThat(mapAt(manifests.one("Service"), "spec", "selector")).containsKey("app.kubernetes.io/name");
		assertThat(mapAt(pod, "metadata", "labels")).doesNotContainKey("app.kubernetes.io/name");
	}

	@Test
	void containerHasResourceRequestsAndLimits() {
		Map<String, Object> resources = mapAt(render().container(), "resources");
		assertThat(mapAt(resources, "requests")).containsKeys("cpu", "memory");
		assertThat(mapAt(resources, "limits")).containsKeys("memory");
	}

	@Test
	void brokerSettingsComeFromTheExistingSecret() {
		assertThat(listAt(render().container(), "envFrom"))
			.containsExactly(Map.of("secretRef", Map.of("name", "broker-env")));
	}

	@Test
	void prodProfileAndPublicUrlAreSet() {
		assertThat(render().env()).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
			.containsEntry("BROKER_PUBLIC_URL", "https://broker.example.com");
	}

	@Test
	void imageTagDefaultsToTheChartAppVersion() throws IOException {
		Object appVersion = Yamls.load(CHART.resolve("Chart.yaml")).get("appVersion");
		assertThat(render().container()).containsEntry("image", "token-broker:" + appVersion);
	}

	@Test
	void renderingFailsWithoutExistingSecret() {
		Map<String, Object> values = values();
		values.remove("existingSecret");
		assertThatThrownBy(() -> render(values)).isInstanceOf(HelmException.class)
			.hasMessageContaining("existingSecret is required");
	}

	@Test
	void renderingFailsWithoutPublicUrl() {
		Map<String, Object> values = values();
		values.remove("publicUrl");
		assertThatThrownBy(() -> render(values)).isInstanceOf(HelmException.class)
			.hasMessageContaining("publicUrl is required");
	}

	@Test
	void schemaRejectsAMistypedValueName() {
		assertThatThrownBy(() -> render(values("replicas", 3))).isInstanceOf(HelmException.class)
			.hasMessageContaining("additional properties 'replicas' not allowed");
	}

	@Test
	void schemaRejectsAValueOfTheWrongType() {
		assertThatThrownBy(() -> render(values("replicaCount", "two"))).isInstanceOf(HelmException.class)
			.hasMessageContaining("/replicaCount");
	}

	@Test
	void schemaRejectsAPublicUrlWithoutScheme() {
		assertThatThrownBy(() -> render(values("publicUrl", "broker.example.com"))).isInstanceOf(HelmException.class)
			.hasMessageContaining("/publicUrl");
	}

	@Test
	void schemaRejectsAClientSecretInProviderOverrides() {
		Map<String, Object> providers = Map.of("github", Map.of("client-secret", "s3cr3t"));
		assertThatThrownBy(() -> render(values("providers", providers))).isInstanceOf(HelmException.class)
			.hasMessageContaining("/providers/github");
	}

	@Test
	void noProviderConfigMapWithoutOverrides() {
		Manifests manifests = render();
		assertThat(manifests.has("ConfigMap")).isFalse();
		assertThat(manifests.env()).doesNotContainKey("SPRING_CONFIG_ADDITIONAL_LOCATION");
	}

	@Test
	void providerOverridesAreMountedAsAnExtraSpringConfigFile() {
		Manifests manifests = render(values("providers", providerOverrides()));
		Map<String, Object> configMap = manifests.one("ConfigMap");
		assertThat(at(configMap, "metadata", "name")).isEqualTo(FULLNAME + "-providers");
		assertThat(mapAt(configMap, "data")).containsOnlyKeys("providers.yaml");
		assertThat(listAt(manifests.podSpec(), "volumes"))
			.contains(Map.of("name", "providers", "configMap", Map.of("name", FULLNAME + "-providers")));
		assertThat(listAt(manifests.container(), "volumeMounts"))
			.contains(Map.of("name", "providers", "mountPath", "/config", "readOnly", true));
		assertThat(manifests.env())
			.containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/providers.yaml");
	}

	@Test
	void springLoadsTheRenderedProviderOverridesFromTheConfiguredLocation(@TempDir Path mount) throws IOException {
		Manifests manifests = render(values("providers", providerOverrides()));
		Files.writeString(mount.resolve("providers.yaml"),
				(String) at(manifests.one("ConfigMap"), "data", "providers.yaml"));
		// The pod's location, with the ConfigMap's mount point swapped for the local directory.
		String location = ((String) manifests.env().get("SPRING_CONFIG_ADDITIONAL_LOCATION"))
			.replace("file:/config/", "file:" + mount + "/");

		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("pod", Map.of("spring.config.additional-location", location)));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);

		assertThat(environment.getProperty("broker.providers.googlecalendar.scopes[0]"))
			.isEqualTo("https://www.googleapis.com/auth/calendar.readonly");
		assertThat(environment.getProperty("broker.providers.acme_crm.token-url"))
			.isEqualTo("https://login.acme.example/oauth/token");
	}

	@Test
	void changedProviderOverridesRollThePods() {
		Object before = at(render(values("providers", providerOverrides())).one("Deployment"), "spec", "template",
				"metadata", "annotations", "checksum/providers");
		Object after = at(render(values("providers", Map.of("github", Map.of("scopes", List.of("repo"))))).one(
				"Deployment"), "spec", "template", "metadata", "annotations", "checksum/providers");
		assertThat(after).isNotEqualTo(before);
	}

	@Test
	void optionalResourcesAreOffByDefault() {
		assertThat(render().kinds()).containsExactlyInAnyOrder("Deployment", "Service", "ServiceAccount",
				"PodDisruptionBudget");
	}

	@Test
	void autoscalingTakesOverTheReplicaCount() {
		Manifests manifests = render(values("autoscaling", Map.of("enabled", true, "minReplicas", 3)));
		assertThat(mapAt(manifests.one("Deployment"), "spec")).doesNotContainKey("replicas");
		Map<String, Object> hpa = manifests.one("HorizontalPodAutoscaler");
		assertThat(at(hpa, "apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(at(hpa, "spec", "scaleTargetRef")).isEqualTo(
				Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", FULLNAME));
		assertThat(at(hpa, "spec", "minReplicas")).isEqualTo(3);
	}

	@Test
	void disruptionBudgetKeepsOneBrokerServingDuringDrains() {
		Manifests manifests = render();
		Map<String, Object> pdb = manifests.one("PodDisruptionBudget");
		assertThat(at(pdb, "spec", "minAvailable")).isEqualTo(1);
		assertThat(at(pdb, "spec", "selector")).isEqualTo(at(manifests.one("Deployment"), "spec", "selector"));
	}

	@Test
	void singleReplicaGetsNoDisruptionBudgetThatWouldBlockDrains() {
		assertThat(render(values("replicaCount", 1)).has("PodDisruptionBudget")).isFalse();
	}

	@Test
	void serviceSelectsTheBrokerPodsOnTheirApiAndManagementPorts() {
		Manifests manifests = render();
		Map<String, Object> podLabels = mapAt(manifests.one("Deployment"), "spec", "template", "metadata", "labels");
		Map<String, Object> service = manifests.one("Service");
		assertThat(podLabels).containsAllEntriesOf(mapAt(service, "spec", "selector"));
		assertThat(listAt(service, "spec", "ports")).containsExactly(
				Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"),
				Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP"));
	}

	@Test
	void serviceMonitorScrapesThePrometheusEndpointThroughTheServiceManagementPort() {
		Manifests manifests = render(values("metrics",
				Map.of("serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "prometheus")))));
		Map<String, Object> monitor = manifests.one("ServiceMonitor");
		assertThat(at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
		assertThat(at(monitor, "spec", "endpoints", 0, "port")).isEqualTo("management");
		assertThat(mapAt(monitor, "metadata", "labels")).containsEntry("release", "prometheus");
		assertThat(mapAt(manifests.one("Service"), "metadata", "labels"))
			.containsAllEntriesOf(mapAt(monitor, "spec", "selector", "matchLabels"));
	}

	@Test
	void ingressRoutesItsHostToTheServiceHttpPort() {
		Manifests manifests = render(values("ingress", Map.of("enabled", true, "className", "nginx", "hosts",
				List.of(Map.of("host", "broker.example.com")), "tls",
				List.of(Map.of("secretName", "broker-tls", "hosts", List.of("broker.example.com"))))));
		Map<String, Object> ingress = manifests.one("Ingress");
		assertThat(at(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
		assertThat(at(ingress, "spec", "rules", 0, "host")).isEqualTo("broker.example.com");
		assertThat(at(ingress, "spec", "rules", 0, "http", "paths", 0)).isEqualTo(Map.of("path", "/", "pathType",
				"Prefix", "backend", Map.of("service", Map.of("name", FULLNAME, "port", Map.of("name", "http")))));
		assertThat(at(ingress, "spec", "tls", 0, "secretName")).isEqualTo("broker-tls");
	}

	@Test
	void networkPolicyAdmitsTheHttpPortFromTheListedPeersAndTheManagementPortFromMonitoring() {
		Map<String, Object> ingressNamespace = Map.of("namespaceSelector",
				Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
		Map<String, Object> monitoringNamespace = Map.of("namespaceSelector",
				Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));
		Manifests manifests = render(
				values("networkPolicy", Map.of("enabled", true, "ingressFrom", List.of(ingressNamespace))));
		Map<String, Object> policy = manifests.one("NetworkPolicy");
		assertThat(listAt(policy, "spec", "policyTypes")).containsExactly("Ingress");
		assertThat(at(policy, "spec", "ingress")).isEqualTo(List.of(
				Map.of("ports", List.of(Map.of("port", "http", "protocol", "TCP")), "from", List.of(ingressNamespace)),
				Map.of("ports", List.of(Map.of("port", "management", "protocol", "TCP")), "from",
						List.of(monitoringNamespace))));
		assertThat(at(policy, "spec", "podSelector", "matchLabels"))
			.isEqualTo(at(manifests.one("Deployment"), "spec", "selector", "matchLabels"));
	}

	@Test
	void networkPolicyClosesTheManagementPortToAllPodsWhenNoMetricsPeerIsListed() {
		Map<String, Object> policy = render(
				values("networkPolicy", Map.of("enabled", true, "metricsFrom", List.of()))).one("NetworkPolicy");
		assertThat(listAt(policy, "spec", "ingress")).map(Yamls::map)
			.singleElement()
			.satisfies((rule) -> assertThat(at(rule, "ports", 0, "port")).isEqualTo("http"));
	}

	@Test
	void restrictedEgressStillAllowsDnsLookups() {
		Map<String, Object> toDatabase = Map.of("ports", List.of(Map.of("port", 5432, "protocol", "TCP")));
		Map<String, Object> policy = render(
				values("networkPolicy", Map.of("enabled", true, "egress", List.of(toDatabase))))
			.one("NetworkPolicy");
		assertThat(listAt(policy, "spec", "policyTypes")).containsExactly("Ingress", "Egress");
		assertThat(listAt(policy, "spec", "egress")).hasSize(2).contains(toDatabase);
		assertThat(at(policy, "spec", "egress", 0, "ports")).isEqualTo(
				List.of(Map.of("port", 53, "protocol", "UDP"), Map.of("port", 53, "protocol", "TCP")));
	}

	@Test
	void installNotesShowTheRedirectUriToRegisterWithProviders() {
		String output = HelmRenderer.installOutput(CHART, RELEASE, values("publicUrl", "https://broker.example.com/"));
		assertThat(output).contains("NOTES:")
			.contains("https://broker.example.com/oauth/callback")
			.contains("kubectl -n broker rollout status deployment/" + FULLNAME);
	}

	@Test
	void chartPassesStrictLintOnceTheRequiredValuesAreSet(@TempDir Path work) throws IOException {
		Path chart = copyChart(work);
		Map<String, Object> defaults = Yamls.load(chart.resolve("values.yaml"));
		defaults.putAll(values());
		Files.writeString(chart.resolve("values.yaml"), Yamls.dump(defaults));

		assertThat(HelmRenderer.lintStrict(chart)).noneMatch((message) -> message.contains("[ERROR]")
				|| message.contains("[WARNING]"));
	}

	private static Path copyChart(Path work) throws IOException {
		Path chart = work.resolve("token-broker");
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path source : files.toList()) {
				Path target = chart.resolve(CHART.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target);
				}
			}
		}
		return chart;
	}

	private static Map<String, Object> providerOverrides() {
		Map<String, Object> providers = new LinkedHashMap<>();
		providers.put("googlecalendar", Map.of("scopes", List.of("https://www.googleapis.com/auth/calendar.readonly")));
		providers.put("acme_crm",
				Map.of("display-name", "ACME CRM", "authorization-url", "https://login.acme.example/oauth/authorize",
						"token-url", "https://login.acme.example/oauth/token", "scopes", List.of("contacts.read")));
		return providers;
	}

	/** The values every install must give, plus {@code overrides} (top-level key, value, ...). */
	private static Map<String, Object> values(Object... overrides) {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("existingSecret", "broker-env");
		values.put("publicUrl", "https://broker.example.com");
		for (int i = 0; i < overrides.length; i += 2) {
			values.put((String) overrides[i], overrides[i + 1]);
		}
		return values;
	}

	private static Manifests render() {
		return render(values());
	}

	private static Manifests render(Map<String, Object> values) {
		return Manifests.parse(HelmRenderer.template(CHART, RELEASE, values));
	}

}
