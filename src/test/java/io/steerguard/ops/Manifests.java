package io.steerguard.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The rendered overlays of k8s/ as typed objects, and look-ups the tests share. */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final List<String> OVERLAYS = List.of("cpu", "gpu");

    private Manifests() {
    }

    static List<Map<String, Object>> render(String overlay) {
        return Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    }

    static List<HasMetadata> typed(String overlay) {
        return KubeObjects.typed(render(overlay));
    }

    static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    static <T extends HasMetadata> T get(List<HasMetadata> objects, Class<T> type, String name) {
        return find(objects, type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static List<Deployment> deployments(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
    }

    static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Optional<EnvVar> env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    static String envValue(Container c, String name) {
        return env(c, name).map(EnvVar::getValue).orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
    }

    static ConfigMap configMap(List<HasMetadata> objects, String name) {
        return get(objects, ConfigMap.class, name);
    }
}
