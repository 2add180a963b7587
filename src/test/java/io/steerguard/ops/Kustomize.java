package io.steerguard.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code kustomize build} for the subset of kustomize that k8s/ uses, so the overlays can be
 * rendered and checked without a kustomize binary: {@code resources} (files and folders),
 * {@code namespace}, {@code configMapGenerator} (files; behaviours create and merge) with
 * {@code generatorOptions.disableNameSuffixHash: true}, and {@code patches} by path, applied as
 * strategic merge patches with Kubernetes' merge keys for the lists the manifests patch. Anything
 * else in a kustomization is an error here rather than silently ignored; where {@code kubectl} is
 * installed, {@link K8sManifestsTest} compares this rendering with {@code kubectl kustomize}.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources",
            "generatorOptions", "configMapGenerator", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass");
    /** Strategic-merge keys of the lists the manifests patch (from the Kubernetes API's patchMergeKey). */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "imagePullSecrets", "name");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> build(Path dir) {
        Map<String, Object> k = OpsFiles.yaml(dir.resolve("kustomization.yaml")).get(0);
        for (String key : k.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + key + "' is not supported by this renderer");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String entry : (List<String>) k.getOrDefault("resources", List.of())) {
            Path p = dir.resolve(entry).normalize();
            out.addAll(Files.isDirectory(p) ? build(p) : OpsFiles.yaml(p));
        }
        List<Map<String, Object>> generators = (List<Map<String, Object>>) k.getOrDefault("configMapGenerator", List.of());
        if (!generators.isEmpty()) {
            Map<String, Object> options = (Map<String, Object>) k.getOrDefault("generatorOptions", Map.of());
            if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
                throw new IllegalArgumentException(dir + ": generated names with a hash suffix are not supported here");
            }
        }
        for (Map<String, Object> g : generators) {
            generate(dir, g, out);
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            if (patch.keySet().stream().anyMatch(key -> !key.equals("path"))) {
                throw new IllegalArgumentException(dir + ": only patches by path are supported: " + patch);
            }
            for (Map<String, Object> doc : OpsFiles.yaml(dir.resolve((String) patch.get("path")))) {
                Map<String, Object> target = find(out, (String) doc.get("kind"), name(doc))
                        .orElseThrow(() -> new IllegalArgumentException(dir + ": patch " + patch + " matches no resource"));
                mergeInto(target, doc);
            }
        }
        Object namespace = k.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> r : out) {
                if (!CLUSTER_SCOPED.contains(r.get("kind"))) {
                    ((Map<String, Object>) r.get("metadata")).put("namespace", namespace);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void generate(Path dir, Map<String, Object> g, List<Map<String, Object>> out) {
        for (String key : g.keySet()) {
            if (!Set.of("name", "behavior", "files").contains(key)) {
                throw new IllegalArgumentException(dir + ": configMapGenerator." + key + " is not supported");
            }
        }
        String name = (String) g.get("name");
        Map<String, Object> data = new LinkedHashMap<>();
        for (String f : (List<String>) g.getOrDefault("files", List.of())) {
            int eq = f.indexOf('=');
            String key = eq < 0 ? Path.of(f).getFileName().toString() : f.substring(0, eq);
            Path file = dir.resolve(eq < 0 ? f : f.substring(eq + 1));
            try {
                data.put(key, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String behavior = (String) g.getOrDefault("behavior", "create");
        switch (behavior) {
            case "create" -> {
                if (find(out, "ConfigMap", name).isPresent()) {
                    throw new IllegalArgumentException(dir + ": ConfigMap " + name + " already exists; use behavior: merge");
                }
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("apiVersion", "v1");
                cm.put("kind", "ConfigMap");
                cm.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
                cm.put("data", data);
                out.add(cm);
            }
            case "merge" -> {
                Map<String, Object> cm = find(out, "ConfigMap", name)
                        .orElseThrow(() -> new IllegalArgumentException(dir + ": no ConfigMap " + name + " to merge into"));
                ((Map<String, Object>) cm.computeIfAbsent("data", x -> new LinkedHashMap<>())).putAll(data);
            }
            default -> throw new IllegalArgumentException(dir + ": behavior " + behavior + " is not supported");
        }
    }

    static java.util.Optional<Map<String, Object>> find(List<Map<String, Object>> resources, String kind, String name) {
        return resources.stream().filter(r -> kind.equals(r.get("kind")) && name.equals(name(r))).findFirst();
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> resource) {
        return (String) ((Map<String, Object>) resource.get("metadata")).get("name");
    }

    /** Strategic merge of {@code patch} into {@code target}, in place. */
    @SuppressWarnings("unchecked")
    static void mergeInto(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " is not supported");
            }
            Object value = e.getValue();
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
                mergeInto((Map<String, Object>) c, (Map<String, Object>) m);
            } else if (value instanceof List<?> l && current instanceof List<?> c && MERGE_KEYS.containsKey(key)) {
                target.put(key, mergeList((List<Object>) c, (List<Object>) l, MERGE_KEYS.get(key)));
            } else {
                target.put(key, value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> mergeList(List<Object> current, List<Object> patch, String mergeKey) {
        List<Object> out = new ArrayList<>(current);
        List<Object> added = new ArrayList<>();
        for (Object item : patch) {
            Map<String, Object> p = (Map<String, Object>) item;
            Object key = Objects.requireNonNull(p.get(mergeKey), "patch list item without " + mergeKey);
            java.util.Optional<Object> existing = out.stream()
                    .filter(o -> key.equals(((Map<String, Object>) o).get(mergeKey))).findFirst();
            if (existing.isPresent()) {
                mergeInto((Map<String, Object>) existing.get(), p);
            } else {
                added.add(p);
            }
        }
        // kustomize (kyaml) puts items that only the patch has before the existing ones
        added.addAll(out);
        return added;
    }
}
