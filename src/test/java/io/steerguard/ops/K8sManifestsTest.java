package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.steerguard.config.ConfigLoader;

/**
 * k8s/: every manifest parses into typed Kubernetes objects, each overlay renders, and what the
 * rendering says matches the application — hardened pods, ConfigMaps mounted for hot reload at the
 * paths the gateway reads, documents the gateway's own loader accepts, and in the gpu overlay a GPU
 * runtime that only the gateway can reach.
 */
class K8sManifestsTest {

    private static final String GATEWAY = "steerguard-gateway";

    @Test
    @SuppressWarnings("unchecked")
    void everyResourceAndPatchFile_parsesIntoTypedObjects_withoutUnknownFields() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(Manifests.K8S)) {
            kustomizations = walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(kustomizations).hasSize(3);
        int parsed = 0;
        for (Path k : kustomizations) {
            Map<String, Object> doc = OpsFiles.yaml(k).get(0);
            List<String> files = new ArrayList<>();
            ((List<String>) doc.getOrDefault("resources", List.of())).stream()
                    .filter(r -> !Files.isDirectory(k.getParent().resolve(r))).forEach(files::add);
            ((List<Map<String, Object>>) doc.getOrDefault("patches", List.of())).forEach(p -> files.add((String) p.get("path")));
            for (String f : files) {
                for (Map<String, Object> manifest : OpsFiles.yaml(k.getParent().resolve(f))) {
                    assertThat(KubeObjects.typed(manifest).getMetadata().getName()).as(k.getParent() + "/" + f).isNotBlank();
                    parsed++;
                }
            }
        }
        assertThat(parsed).isGreaterThanOrEqualTo(13);
    }

    @Test
    void strictParsing_rejectsAMisspeltField() {
        Map<String, Object> deployment = Manifests.render("cpu").stream()
                .filter(m -> m.get("kind").equals("Deployment")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        spec.put("replica", 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubeObjects.typed(deployment))
                .hasMessageContaining("replica");
    }

    @Test
    void bothOverlays_render_withTheSameBaseAndTheirOwnRuntime() {
        Set<String> cpu = ids(Manifests.typed("cpu"));
        Set<String> gpu = ids(Manifests.typed("gpu"));
        assertThat(cpu).containsExactlyInAnyOrder("Namespace/steerguard", "ServiceAccount/steerguard",
                "Deployment/steerguard-gateway", "Service/steerguard", "ServiceMonitor/steerguard-gateway",
                "PrometheusRule/steerguard", "PodDisruptionBudget/steerguard-gateway",
                "HorizontalPodAutoscaler/steerguard-gateway", "NetworkPolicy/steerguard-gateway",
                "ConfigMap/steerguard-policies", "ConfigMap/steerguard-config",
                "StatefulSet/steerguard-redis", "Service/steerguard-redis", "NetworkPolicy/steerguard-redis");
        Set<String> gpuOnly = new HashSet<>(gpu);
        gpuOnly.removeAll(cpu);
        assertThat(gpuOnly).containsExactlyInAnyOrder("Deployment/steerguard-runtime", "Service/steerguard-runtime",
                "NetworkPolicy/steerguard-runtime", "ConfigMap/steerguard-runtime-config");
        assertThat(gpu).containsAll(cpu);
        for (String overlay : Manifests.OVERLAYS) {
            Manifests.typed(overlay).stream().filter(o -> !o.getKind().equals("Namespace"))
                    .forEach(o -> assertThat(o.getMetadata().getNamespace()).as(overlay + " " + o.getKind()).isEqualTo("steerguard"));
        }
    }

    @Test
    void cpuOverlay_servesTheEmbeddedDemoModelInsideTheGateway() {
        List<HasMetadata> objects = Manifests.typed("cpu");
        Map<String, Object> runtime = OpsFiles.yamlText(Manifests.configMap(objects, "steerguard-config").getData().get("runtime.yaml")).get(0);
        assertThat(runtime).containsEntry("kind", "Runtime");
        assertThat(spec(runtime)).containsEntry("type", "embedded").containsEntry("model", "models/demo-chat")
                .containsEntry("device", "cpu");
        assertThat(Manifests.deployments(objects)).extracting(d -> d.getMetadata().getName()).containsExactly(GATEWAY);
        Container gateway = Manifests.container(Manifests.get(objects, Deployment.class, GATEWAY));
        assertThat(gateway.getResources().getLimits().get("memory")).as("patched for the in-process model")
                .isEqualTo(new Quantity("3Gi"));
        assertThat(Manifests.envValue(gateway, "JAVA_MAX_MEM_RATIO")).isEqualTo("33");
        assertThat(Manifests.envValue(gateway, "STEERGUARD_CONFIG_PATHS")).as("the base's env survives the patch")
                .isEqualTo("/etc/steerguard/policies,/etc/steerguard/config");
    }

    @Test
    @SuppressWarnings("unchecked")
    void gpuOverlay_runsTheModelAsItsOwnGpuDeployment_reachableOnlyFromTheGateway() {
        List<HasMetadata> objects = Manifests.typed("gpu");
        Deployment runtime = Manifests.get(objects, Deployment.class, "steerguard-runtime");
        PodSpec pod = runtime.getSpec().getTemplate().getSpec();
        Container c = Manifests.container(runtime);
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(c.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(c.getImage()).as("same image as the gateway")
                .isEqualTo(Manifests.container(Manifests.get(objects, Deployment.class, GATEWAY)).getImage());
        assertThat(Manifests.envValue(c, "STEERGUARD_MODE")).isEqualTo("runtime");
        // runtime mode is closed by default: its key hash and the gateway's key come from one Secret
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("STEERGUARD_RUNTIME_API_KEY_SHA256");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("steerguard-runtime-key");
        });
        assertThat(c.getEnv()).noneMatch(e -> e.getName().equals("STEERGUARD_RUNTIME_INSECURE_NO_KEY"));
        String keyEnv = (String) spec(OpsFiles.yamlText(Manifests.configMap(objects, "steerguard-config").getData()
                .get("runtime.yaml")).get(0)).get("apiKeyEnv");
        assertThat(Manifests.container(Manifests.get(objects, Deployment.class, GATEWAY)).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo(keyEnv);
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("steerguard-runtime-key");
        });
        // the base profile's vector file must lie in the runtime's vectors folder, or every steered request is a 400
        Path vectorsDir = Path.of(Manifests.envValue(c, "STEERGUARD_RUNTIME_VECTORS_DIR"));
        String profiles = Manifests.configMap(objects, "steerguard-config").getData().get("profiles.yaml");
        assertThat(OpsFiles.yamlText(profiles)).allSatisfy(doc -> ((List<Map<String, Object>>) spec(doc).get("vectors"))
                .forEach(v -> assertThat(vectorsDir.resolve((String) v.get("file")).normalize()).startsWithRaw(vectorsDir)));

        // the gateway's demo-chat is the runtime Service, over the EasySteer protocol
        Map<String, Object> remote = OpsFiles.yamlText(Manifests.configMap(objects, "steerguard-config").getData().get("runtime.yaml")).get(0);
        assertThat(spec(remote)).containsEntry("type", "easysteer");
        java.net.URI url = java.net.URI.create((String) spec(remote).get("baseUrl"));
        Service service = Manifests.get(objects, Service.class, url.getHost());
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(url.getPort()));
        Map<String, String> runtimePods = runtime.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(runtimePods).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(runtimePods).containsAllEntriesOf(runtime.getSpec().getSelector().getMatchLabels());

        NetworkPolicy np = Manifests.get(objects, NetworkPolicy.class, "steerguard-runtime");
        assertThat(runtimePods).containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getIngress()).hasSize(1);
        var from = np.getSpec().getIngress().get(0).getFrom();
        assertThat(from).hasSize(1);
        assertThat(from.get(0).getNamespaceSelector()).isNull();
        Map<String, String> gatewayPods = Manifests.get(objects, Deployment.class, GATEWAY).getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> allowed = from.get(0).getPodSelector().getMatchLabels();
        assertThat(gatewayPods).containsAllEntriesOf(allowed);
        assertThat(runtimePods).as("the runtime pods themselves are not admitted").doesNotContainEntry(
                "app.kubernetes.io/component", allowed.get("app.kubernetes.io/component"));
    }

    @Test
    void gatewayDeployment_isReplicated_hardened_andMountsItsConfigurationForHotReload() {
        for (String overlay : Manifests.OVERLAYS) {
            List<HasMetadata> objects = Manifests.typed(overlay);
            Deployment d = Manifests.get(objects, Deployment.class, GATEWAY);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = Manifests.container(d);
            String where = overlay + ": ";
            assertThat(d.getSpec().getReplicas()).as(where + "replicas").isGreaterThanOrEqualTo(2);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where + "runAsNonRoot").isTrue();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(where + "readOnlyRootFilesystem").isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");

            // documents: every path the gateway reads is a ConfigMap folder mount (no subPath: those never update)
            List<String> configPaths = Arrays.asList(Manifests.envValue(c, "STEERGUARD_CONFIG_PATHS").split(","));
            assertThat(configPaths).hasSize(2);
            for (String path : configPaths) {
                VolumeMount m = mountAt(c, path);
                assertThat(m.getSubPath()).as(where + path + " subPath").isNull();
                Volume v = volume(pod, m.getName());
                assertThat(v.getConfigMap()).as(where + path + " is a ConfigMap").isNotNull();
                assertThat(Manifests.configMap(objects, v.getConfigMap().getName()).getData()).isNotEmpty();
            }
            // writable places on a read-only root: /tmp (DJL's libtorch), the policy state folder
            assertThat(volume(pod, mountAt(c, "/tmp").getName()).getEmptyDir()).as(where + "/tmp").isNotNull();
            assertThat(Manifests.envValue(c, "DJL_CACHE_DIR")).startsWith("/tmp/");
            String dataDir = Manifests.envValue(c, "STEERGUARD_POLICY_DATA_DIR");
            assertThat(volume(pod, mountAt(c, dataDir).getName()).getEmptyDir()).as(where + dataDir).isNotNull();
            assertThat(c.getVolumeMounts()).filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                    .allSatisfy(m -> assertThat(volume(pod, m.getName()).getEmptyDir()).as(where + m.getMountPath()).isNotNull());

            EnvVar admin = Manifests.env(c, "STEERGUARD_ADMIN_API_KEY_SHA256").orElseThrow();
            assertThat(admin.getValue()).as("never a literal").isNull();
            assertThat(admin.getValueFrom().getSecretKeyRef().getName()).isEqualTo("steerguard-admin");

            for (var probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
                // health is served on the management interface only
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            }
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(8080);
            });
            assertThat(c.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("management");
                assertThat(p.getContainerPort()).isEqualTo(9000);
            });
        }
    }

    @Test
    void serviceMonitorPdbAndHpa_allPointAtTheGateway() {
        List<HasMetadata> objects = Manifests.typed("cpu");
        Deployment d = Manifests.get(objects, Deployment.class, GATEWAY);
        Map<String, String> pods = d.getSpec().getTemplate().getMetadata().getLabels();
        Service service = Manifests.get(objects, Service.class, "steerguard");
        assertThat(pods).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");

        ServiceMonitor sm = Manifests.get(objects, ServiceMonitor.class, GATEWAY);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(sm.getSpec().getSelector().getMatchLabels());
        assertThat(sm.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).isEqualTo("/q/metrics");
            // metrics are scraped from the management port, which the Service exposes next to http
            assertThat(e.getPort()).isEqualTo("management");
            assertThat(service.getSpec().getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("management");
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("management");
            });
        });

        PodDisruptionBudget pdb = Manifests.get(objects, PodDisruptionBudget.class, GATEWAY);
        assertThat(pods).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());

        HorizontalPodAutoscaler hpa = Manifests.get(objects, HorizontalPodAutoscaler.class, GATEWAY);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(GATEWAY);
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    }

    @Test
    void renderedConfigMaps_areAcceptedByTheGatewaysOwnLoader_asKubeletLaysThemOut(@TempDir Path tmp) throws IOException {
        for (String overlay : Manifests.OVERLAYS) {
            List<HasMetadata> objects = Manifests.typed(overlay);
            for (Deployment d : Manifests.deployments(objects)) {
                Container c = Manifests.container(d);
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                List<Path> roots = new ArrayList<>();
                for (String path : Manifests.envValue(c, "STEERGUARD_CONFIG_PATHS").split(",")) {
                    ConfigMap cm = Manifests.configMap(objects, volume(pod, mountAt(c, path).getName()).getConfigMap().getName());
                    roots.add(kubeletLayout(tmp.resolve(overlay + "-" + d.getMetadata().getName() + path), cm.getData()));
                }
                ConfigLoader.Outcome outcome = new ConfigLoader().load(roots);
                assertThat(outcome).as(overlay + " " + d.getMetadata().getName() + ": " + outcome)
                        .isInstanceOf(ConfigLoader.Outcome.Loaded.class);
                var config = ((ConfigLoader.Outcome.Loaded) outcome).config();
                assertThat(config.runtimes()).containsOnlyKeys("demo-chat");
                if (c.getEnv().stream().anyMatch(e -> e.getName().equals("STEERGUARD_MODE") && "runtime".equals(e.getValue()))) {
                    assertThat(io.steerguard.config.RuntimeModeDocuments.problems(config))
                            .as(overlay + " " + d.getMetadata().getName() + " in runtime mode").isEmpty();
                }
                if (d.getMetadata().getName().equals(GATEWAY)) {
                    assertThat(config.tenants()).containsOnlyKeys("acme", "globex");
                    assertThat(config.profiles()).containsOnlyKeys("json-format", "strict-compliance");
                    assertThat(config.policies()).containsOnlyKeys("default");
                }
            }
        }
    }

    @Test
    void basePolicy_isACopyOfTheRepositorysDefaultPolicy() throws IOException {
        assertThat(Files.readString(Manifests.K8S.resolve("base/policies/default.yaml")))
                .as("k8s/base/policies/default.yaml must be a copy of policies/default.yaml")
                .isEqualTo(Files.readString(Path.of("policies/default.yaml")));
    }

    @Test
    void rendering_matchesKubectlKustomize_whereKubectlIsInstalled() throws Exception {
        String kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "kubectl")).filter(Files::isExecutable).map(Path::toString).findFirst().orElse(null);
        assumeThat(kubectl).as("kubectl on the PATH").isNotNull();
        for (String overlay : Manifests.OVERLAYS) {
            Process p = new ProcessBuilder(kubectl, "kustomize", Manifests.K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            assumeThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("kubectl kustomize ran").isTrue();
            assertThat(byId(OpsFiles.yamlText(out))).as(overlay).isEqualTo(byId(Manifests.render(overlay)));
        }
    }

    /** Writes ConfigMap data the way the kubelet does: files in a timestamped folder behind ..data, symlinked. */
    private static Path kubeletLayout(Path dir, Map<String, String> data) throws IOException {
        Path real = Files.createDirectories(dir.resolve("..2026_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(dir.resolve("..data"), real.getFileName());
        for (Map.Entry<String, String> e : data.entrySet()) {
            Files.writeString(real.resolve(e.getKey()), e.getValue());
            Files.createSymbolicLink(dir.resolve(e.getKey()), Path.of("..data").resolve(e.getKey()));
        }
        return dir;
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> resources) {
        return resources.stream().collect(Collectors.toMap(r -> r.get("kind") + "/" + Kustomize.name(r), r -> r,
                (a, b) -> { throw new AssertionError("duplicate " + a); }, java.util.TreeMap::new));
    }

    private static Set<String> ids(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .sorted(Comparator.naturalOrder()).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> document) {
        return (Map<String, Object>) document.get("spec");
    }

    private static VolumeMount mountAt(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .max(Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElseThrow(() -> new AssertionError(c.getName() + ": nothing mounted at " + path));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
