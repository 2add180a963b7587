package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.ConfigMapping;

/**
 * The container image recipe and the manifests speak the application's configuration language:
 * every {@code STEERGUARD_*} variable they set is a property the application reads, and the files
 * the documents name are where the image puts them. No Docker engine runs here, so the image is
 * checked as a recipe, not built.
 */
class ImageConfigTest {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    /** Runtime mode is set only on the runtime Deployment, with this value. */
    private static final String MODE = "STEERGUARD_MODE";

    @Test
    void everySteerguardVariable_inTheImageAndTheManifests_isAPropertyTheApplicationReads() throws Exception {
        Set<String> known = knownEnvironmentNames();
        assertThat(known).as("the mapping scan found the documented properties")
                .contains("STEERGUARD_CONFIG_PATHS", "STEERGUARD_ADMIN_API_KEY_SHA256", "STEERGUARD_POLICY_DATA_DIR",
                        "STEERGUARD_CONFIG_BASE_DIR", MODE, "STEERGUARD_RUNTIME_VECTORS_DIR",
                        "STEERGUARD_RUNTIME_API_KEY_SHA256");

        Map<String, String> used = new LinkedHashMap<>();
        dockerEnv().keySet().forEach(k -> used.put(k, "Dockerfile.jvm"));
        for (String overlay : Manifests.OVERLAYS) {
            for (Deployment d : Manifests.deployments(Manifests.typed(overlay))) {
                Container c = Manifests.container(d);
                c.getEnv().forEach(e -> used.put(e.getName(), overlay + "/" + d.getMetadata().getName()));
                if (Manifests.env(c, MODE).isPresent()) {
                    assertThat(d.getMetadata().getName()).isEqualTo("steerguard-runtime");
                    assertThat(Manifests.envValue(c, MODE)).isEqualTo("runtime");
                }
            }
        }
        used.forEach((name, where) -> {
            if (name.startsWith("STEERGUARD_")) {
                assertThat(known).as(where + " sets " + name + ", which no @ConfigMapping property reads").contains(name);
            }
        });
        assertThat(used).containsKeys("STEERGUARD_CONFIG_PATHS", "STEERGUARD_ADMIN_API_KEY_SHA256", "STEERGUARD_POLICY_DATA_DIR");
    }

    @Test
    void dockerfile_runsTheFastJar_asNonRoot_offline_withTheDemoModel() throws IOException {
        List<String> lines = instructions();
        assertThat(lines.get(0)).matches("FROM (registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime|eclipse-temurin):[\\w.-]+( AS \\w+)?");
        Map<String, String> copies = copies(lines);
        assertThat(copies).containsEntry("target/quarkus-app/lib/", "/deployments/lib/")
                .containsEntry("target/quarkus-app/app/", "/deployments/app/")
                .containsEntry("target/quarkus-app/quarkus/", "/deployments/quarkus/")
                .containsEntry("target/quarkus-app/*.jar", "/deployments/")
                .containsEntry("models/demo-chat/", "/deployments/models/demo-chat/");
        copies.keySet().stream().filter(src -> !src.startsWith("target/"))
                .forEach(src -> assertThat(Path.of(src)).as("COPY source exists").exists());

        String lastUser = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(lastUser).as("runs as the image's unprivileged user").isEqualTo("USER 185");
        Map<String, String> env = dockerEnv();
        assertThat(env).containsEntry("DJL_OFFLINE", "true").containsEntry("OPT_OUT_TRACKING", "true")
                .containsEntry("DJL_CACHE_DIR", "/tmp/djl").containsEntry("JAVA_APP_JAR", "/deployments/quarkus-run.jar");
        assertThat(lines).anyMatch(l -> l.startsWith("EXPOSE 8080"));
    }

    @Test
    void imageDefaults_pointAtTheFilesTheImageCopies() throws IOException {
        Map<String, String> env = dockerEnv();
        Map<String, String> copies = copies(instructions());
        for (String path : env.get("STEERGUARD_CONFIG_PATHS").split(",")) {
            assertThat(repositoryPath(copies, path)).as(path).isNotNull().isDirectory();
        }
        assertThat(env.get("STEERGUARD_CONFIG_BASE_DIR")).isEqualTo("/deployments");
    }

    @Test
    void theModelAndVectorsTheManifestsName_areInTheImage() throws IOException {
        Map<String, String> copies = copies(instructions());
        for (String overlay : Manifests.OVERLAYS) {
            List<HasMetadata> objects = Manifests.typed(overlay);
            for (Deployment d : Manifests.deployments(objects)) {
                Container c = Manifests.container(d);
                String baseDir = Manifests.envValue(c, "STEERGUARD_CONFIG_BASE_DIR");
                for (var cm : objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.ConfigMap)
                        .map(o -> (io.fabric8.kubernetes.api.model.ConfigMap) o).toList()) {
                    for (String text : cm.getData().values()) {
                        for (Map<String, Object> doc : OpsFiles.yamlText(text)) {
                            for (String file : filesNamedBy(doc)) {
                                String inImage = file.startsWith("/") ? file : baseDir + "/" + file;
                                Path repo = repositoryPath(copies, inImage);
                                assertThat(repo).as(overlay + " " + cm.getMetadata().getName() + " names " + inImage
                                        + ", which the image does not contain").isNotNull().exists();
                            }
                        }
                    }
                }
            }
        }
    }

    /** Model folders of embedded Runtimes and vector files of profiles. */
    @SuppressWarnings("unchecked")
    private static List<String> filesNamedBy(Map<String, Object> doc) {
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        List<String> files = new ArrayList<>();
        if ("Runtime".equals(doc.get("kind")) && "embedded".equals(spec.get("type"))) {
            files.add((String) spec.get("model"));
        }
        if ("SteeringProfile".equals(doc.get("kind"))) {
            ((List<Map<String, Object>>) spec.get("vectors")).forEach(v -> files.add((String) v.get("file")));
        }
        return files;
    }

    /** Where a path inside the image comes from in the repository, by the Dockerfile's COPY lines. */
    private static Path repositoryPath(Map<String, String> copies, String inImage) {
        for (Map.Entry<String, String> c : copies.entrySet()) {
            String dest = c.getValue().endsWith("/") ? c.getValue() : c.getValue() + "/";
            if ((inImage + "/").startsWith(dest) && !c.getKey().startsWith("target/")) {
                return Path.of(c.getKey()).resolve(inImage.substring(Math.min(inImage.length(), dest.length())));
            }
        }
        return null;
    }

    /** Logical Dockerfile lines: continuations joined, comments and blank lines dropped. */
    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(current.append(line).toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }

    private static Map<String, String> copies(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("COPY ")) {
                String[] parts = Stream.of(l.substring(5).split(" ")).filter(p -> !p.startsWith("--")).toArray(String[]::new);
                out.put(parts[0], parts[parts.length - 1]);
            }
        }
        return out;
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    private static Map<String, String> dockerEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String l : instructions()) {
            if (l.startsWith("ENV ")) {
                Matcher m = ENV_PAIR.matcher(l.substring(4));
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                }
            }
        }
        return env;
    }

    /**
     * The environment spellings of every property the application's {@code @ConfigMapping}
     * interfaces declare (SmallRye Config: upper case, every non-alphanumeric character an
     * underscore), found by scanning the compiled classes.
     */
    static Set<String> knownEnvironmentNames() throws Exception {
        Path classes = Path.of("target/classes");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(classes.resolve("io/steerguard"))) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String className = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(className, false, ImageConfigTest.class.getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    properties(type, mapping.prefix(), names);
                }
            }
        }
        return names;
    }

    private static void properties(Class<?> type, String prefix, Set<String> out) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> r = m.getReturnType();
            if (r == java.util.Optional.class && m.getGenericReturnType() instanceof ParameterizedType pt
                    && pt.getActualTypeArguments()[0] instanceof Class<?> inner && isGroup(inner)) {
                r = inner;
            }
            if (isGroup(r)) {
                properties(r, name, out);
            } else {
                out.add(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
            }
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && c.getName().startsWith("io.steerguard.");
    }
}
