package io.steerguard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads every {@code *.yaml}/{@code *.yml} below the configured paths into one {@link ConfigSet}.
 * Hidden entries (names starting with {@code .}) are skipped: Kubernetes ConfigMap volumes keep
 * the real files in {@code ..data/} and expose them through symlinks, which must count once.
 */
public final class ConfigLoader {

    /** The outcome of one load: a consistent configuration, or the reasons there is none. */
    public sealed interface Outcome {
        /** The configuration is valid; warnings are worth logging. */
        record Loaded(ConfigSet config, List<ConfigProblem> warnings) implements Outcome {
        }

        /** At least one error; nothing from this attempt may be applied. */
        record Rejected(List<ConfigProblem> problems) implements Outcome {
        }
    }

    private final DocumentParser parser = new DocumentParser();

    public Outcome load(List<Path> roots) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<ConfigDocument> documents = new ArrayList<>();
        MessageDigest digest = sha256();
        for (Path file : files(roots, problems)) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
                String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                DocumentParser.Result result = parser.parse(file, text);
                documents.addAll(result.documents());
                problems.addAll(result.problems());
            } catch (CharacterCodingException e) {
                problems.add(ConfigProblem.error(SourceLocation.of(file), "", "not valid UTF-8 text"));
            } catch (IOException e) {
                problems.add(ConfigProblem.error(SourceLocation.of(file), "", "cannot read: " + e));
            }
        }
        ConfigSet set = ConfigValidator.validate(documents, HexFormat.of().formatHex(digest.digest()), problems);
        if (problems.stream().anyMatch(ConfigProblem::isError)) {
            return new Outcome.Rejected(problems);
        }
        return new Outcome.Loaded(set, problems);
    }

    /** The YAML files below {@code roots}, sorted, so load order (and duplicate reports) are stable. */
    public static List<Path> files(List<Path> roots, List<ConfigProblem> problems) {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                files.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                    walk.filter(p -> isVisible(root, p) && Files.isRegularFile(p) && isYaml(p)).sorted()
                            .forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    problems.add(ConfigProblem.error(SourceLocation.of(root), "", "cannot list: " + e.getMessage()));
                }
            } else {
                problems.add(ConfigProblem.error(SourceLocation.of(root), "",
                        "configured config path does not exist"));
            }
        }
        return files;
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static boolean isVisible(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
