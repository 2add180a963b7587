package io.steerguard.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the text of one YAML file (one or more {@code ---} separated documents) into typed
 * {@link ConfigDocument}s, dispatching on {@code kind}. Every problem found is reported with its
 * file, line, column and field path; documents with errors are left out of the result.
 */
public final class DocumentParser {

    /** Kinds this release reads, with the parser of their {@code spec}. */
    static final List<String> KINDS = List.of(RuntimeDocument.KIND, SteeringProfileDocument.KIND, TenantDocument.KIND,
            GuardrailPolicyDocument.KIND);

    /** Large enough for real documents, small enough that a hostile file cannot exhaust memory. */
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    /** Documents and problems of one file. */
    public record Result(List<ConfigDocument> documents, List<ConfigProblem> problems) {
        public Result {
            documents = List.copyOf(documents);
            problems = List.copyOf(problems);
        }
    }

    public Result parse(Path file, String text) {
        List<ConfigDocument> documents = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(true); // reported by YamlView with a position instead of an exception
        options.setMaxAliasesForCollections(50);
        try {
            for (Node root : new Yaml(options).composeAll(new java.io.StringReader(text))) {
                if (root == null) {
                    continue;
                }
                int before = problems.size();
                Optional<ConfigDocument> doc = document(file, root, problems);
                boolean clean = problems.subList(before, problems.size()).stream().noneMatch(ConfigProblem::isError);
                if (doc.isPresent() && clean) {
                    documents.add(doc.get());
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourceLocation at = mark == null ? SourceLocation.of(file)
                    : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            problems.add(ConfigProblem.error(at, "", "invalid YAML: " + what));
        } catch (YAMLException e) {
            problems.add(ConfigProblem.error(SourceLocation.of(file), "", "invalid YAML: " + e.getMessage()));
        }
        return new Result(documents, problems);
    }

    private Optional<ConfigDocument> document(Path file, Node root, List<ConfigProblem> problems) {
        Optional<YamlView> maybe = YamlView.of(file, "", root, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        YamlView doc = maybe.get();
        doc.allowOnly(Set.of("apiVersion", "kind", "metadata", "spec"));
        Optional<String> apiVersion = doc.requiredString("apiVersion");
        if (apiVersion.isPresent() && !ConfigDocument.API_VERSION.equals(apiVersion.get())) {
            doc.error("apiVersion", "expected " + ConfigDocument.API_VERSION + ", got '" + apiVersion.get() + "'");
        }
        Optional<String> kind = doc.requiredString("kind");
        if (kind.isPresent() && !KINDS.contains(kind.get())) {
            doc.error("kind", "unknown kind '" + kind.get() + "', expected one of " + KINDS);
            return Optional.empty();
        }
        Optional<DocumentMetadata> metadata = metadata(doc);
        Optional<YamlView> spec = doc.mapping("spec");
        if (!doc.has("spec")) {
            doc.error("spec", "required field is missing");
        }
        if (kind.isEmpty() || metadata.isEmpty() || spec.isEmpty()) {
            return Optional.empty();
        }
        SourceLocation location = doc.location();
        return switch (kind.get()) {
            case RuntimeDocument.KIND -> RuntimeSpecParser.parse(metadata.get().name(), spec.get())
                    .map(s -> new RuntimeDocument(metadata.get(), location, s));
            case SteeringProfileDocument.KIND -> {
                if (SteeringProfileDocument.UNSTEERED.equals(metadata.get().name())) {
                    doc.error("metadata", "the profile name 'unsteered' is reserved for no steering");
                }
                yield Optional.of(ProfileSpecParser.parse(metadata.get(), location, spec.get()));
            }
            case GuardrailPolicyDocument.KIND -> Optional.of(PolicySpecParser.parse(metadata.get(), location, spec.get()));
            default -> Optional.of(TenantSpecParser.parse(metadata.get(), location, spec.get()));
        };
    }

    private Optional<DocumentMetadata> metadata(YamlView doc) {
        if (!doc.has("metadata")) {
            doc.error("metadata", "required field is missing");
            return Optional.empty();
        }
        return doc.mapping("metadata").flatMap(m -> {
            m.allowOnly(Set.of("name", "labels"));
            Optional<String> name = m.requiredString("name");
            if (name.isPresent() && !DocumentMetadata.NAME.matcher(name.get()).matches()) {
                m.error("name", "expected lowercase letters, digits, '-', '.' or '_' (at most 63, starting and "
                        + "ending with a letter or digit), got '" + name.get() + "'");
                return Optional.empty();
            }
            Map<String, String> labels = new LinkedHashMap<>();
            m.mapping("labels").ifPresent(l -> l.keys().forEach(k -> l.string(k).ifPresent(v -> labels.put(k, v))));
            return name.map(n -> new DocumentMetadata(n, labels));
        });
    }
}
