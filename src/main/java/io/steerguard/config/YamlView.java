package io.steerguard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping with its field path and source positions, for parsers that must report
 * {@code file:line:column: field: message}. Accessors never throw on bad input: they record a
 * {@link ConfigProblem} and return an empty value, so one pass reports every problem in a file.
 */
public final class YamlView {

    private final Path file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();
    private final List<ConfigProblem> problems;

    private YamlView(Path file, String path, Node node, List<ConfigProblem> problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    if (fields.put(key.getValue(), tuple) != null) {
                        error(key, child(key.getValue()), "duplicate key '" + key.getValue() + "'");
                    }
                } else {
                    error(tuple.getKeyNode(), path, "keys must be plain strings");
                }
            }
        }
    }

    /** A view of {@code node} at {@code path}; reports a problem when it is not a mapping. */
    public static Optional<YamlView> of(Path file, String path, Node node, List<ConfigProblem> problems) {
        if (!(node instanceof MappingNode)) {
            problems.add(ConfigProblem.error(location(file, node), path, "expected a mapping, got " + describe(node)));
            return Optional.empty();
        }
        return Optional.of(new YamlView(file, path, node, problems));
    }

    public Path file() {
        return file;
    }

    public String path() {
        return path;
    }

    public SourceLocation location() {
        return location(file, node);
    }

    /** Location of {@code key}'s value, or of this mapping when the key is absent. */
    public SourceLocation location(String key) {
        NodeTuple t = fields.get(key);
        return t == null ? location() : location(file, t.getValueNode());
    }

    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public Set<String> keys() {
        return fields.keySet();
    }

    /** Rejects keys outside {@code allowed}: a typo such as {@code coeficient} must not be silently ignored. */
    public void allowOnly(Set<String> allowed) {
        for (Map.Entry<String, NodeTuple> f : fields.entrySet()) {
            if (!allowed.contains(f.getKey())) {
                error(f.getValue().getKeyNode(), child(f.getKey()),
                        "unknown field; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    public Optional<String> string(String key) {
        return scalar(key, "a string").map(ScalarNode::getValue);
    }

    public Optional<String> requiredString(String key) {
        Optional<String> value = string(key);
        if (!has(key)) {
            error(node, child(key), "required field is missing");
        } else if (value.isPresent() && value.get().isBlank()) {
            error(fields.get(key).getValueNode(), child(key), "must not be empty");
            return Optional.empty();
        }
        return value;
    }

    public Optional<Double> number(String key, double min, double max) {
        return scalar(key, "a number").flatMap(s -> {
            try {
                double v = Double.parseDouble(s.getValue());
                if (!(v >= min && v <= max)) {
                    error(s, child(key), "must be within [" + fmt(min) + ", " + fmt(max) + "], got " + s.getValue());
                    return Optional.empty();
                }
                return Optional.of(v);
            } catch (NumberFormatException e) {
                error(s, child(key), "expected a number, got '" + s.getValue() + "'");
                return Optional.empty();
            }
        });
    }

    public Optional<Integer> integer(String key, int min, int max) {
        return scalar(key, "an integer").flatMap(s -> parseInt(s, child(key), min, max));
    }

    public Optional<Boolean> bool(String key) {
        return scalar(key, "a boolean").flatMap(s -> switch (s.getValue()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                error(s, child(key), "expected true or false, got '" + s.getValue() + "'");
                yield Optional.empty();
            }
        });
    }

    public Optional<Duration> duration(String key) {
        return scalar(key, "a duration").flatMap(s -> {
            try {
                return Optional.of(Durations.parse(s.getValue()));
            } catch (IllegalArgumentException e) {
                error(s, child(key), e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A value that must be one of {@code choices}. */
    public Optional<String> oneOf(String key, List<String> choices) {
        return string(key).filter(v -> {
            if (choices.contains(v)) {
                return true;
            }
            error(fields.get(key).getValueNode(), child(key), "expected one of " + choices + ", got '" + v + "'");
            return false;
        });
    }

    public Optional<YamlView> mapping(String key) {
        NodeTuple t = fields.get(key);
        return t == null ? Optional.empty() : of(file, child(key), t.getValueNode(), problems);
    }

    /** A mapping whose values are mappings, e.g. {@code models: {demo-chat: {...}}}. */
    public Map<String, YamlView> mappingOfMappings(String key) {
        Map<String, YamlView> result = new LinkedHashMap<>();
        mapping(key).ifPresent(m -> m.fields.forEach((name, tuple) ->
                of(file, m.child(name), tuple.getValueNode(), problems).ifPresent(v -> result.put(name, v))));
        return result;
    }

    /** A sequence of mappings; absent gives an empty list. */
    public List<YamlView> listOfMappings(String key) {
        return sequence(key).map(seq -> {
            List<YamlView> out = new ArrayList<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                of(file, child(key) + "[" + i + "]", items.get(i), problems).ifPresent(out::add);
            }
            return out;
        }).orElse(List.of());
    }

    public List<String> stringList(String key) {
        return scalarList(key, (s, p) -> Optional.of(s.getValue()));
    }

    public List<Integer> intList(String key, int min, int max) {
        return scalarList(key, (s, p) -> parseInt(s, p, min, max));
    }

    /** Records an error at {@code key}'s value (or this mapping when absent). */
    public void error(String key, String message) {
        problems.add(ConfigProblem.error(location(key), child(key), message));
    }

    public void warning(String key, String message) {
        problems.add(ConfigProblem.warning(location(key), child(key), message));
    }

    private <T> List<T> scalarList(String key, java.util.function.BiFunction<ScalarNode, String, Optional<T>> parse) {
        return sequence(key).map(seq -> {
            List<T> out = new ArrayList<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                String itemPath = child(key) + "[" + i + "]";
                if (items.get(i) instanceof ScalarNode s) {
                    parse.apply(s, itemPath).ifPresent(out::add);
                } else {
                    error(items.get(i), itemPath, "expected a scalar, got " + describe(items.get(i)));
                }
            }
            return out;
        }).orElse(List.of());
    }

    private Optional<SequenceNode> sequence(String key) {
        NodeTuple t = fields.get(key);
        if (t == null) {
            return Optional.empty();
        }
        if (t.getValueNode() instanceof SequenceNode seq) {
            return Optional.of(seq);
        }
        error(t.getValueNode(), child(key), "expected a list, got " + describe(t.getValueNode()));
        return Optional.empty();
    }

    private Optional<ScalarNode> scalar(String key, String expected) {
        NodeTuple t = fields.get(key);
        if (t == null) {
            return Optional.empty();
        }
        Node value = t.getValueNode();
        if (value instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            return Optional.of(s);
        }
        error(value, child(key), "expected " + expected + ", got " + describe(value));
        return Optional.empty();
    }

    private Optional<Integer> parseInt(ScalarNode s, String fieldPath, int min, int max) {
        try {
            int v = Integer.parseInt(s.getValue());
            if (v < min || v > max) {
                error(s, fieldPath, "must be within [" + min + ", " + max + "], got " + v);
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (NumberFormatException e) {
            error(s, fieldPath, "expected an integer, got '" + s.getValue() + "'");
            return Optional.empty();
        }
    }

    private void error(Node at, String fieldPath, String message) {
        problems.add(ConfigProblem.error(location(file, at), fieldPath, message));
    }

    static SourceLocation location(Path file, Node node) {
        if (node == null || node.getStartMark() == null) {
            return SourceLocation.of(file);
        }
        return new SourceLocation(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            return Tag.NULL.equals(s.getTag()) ? "null" : "'" + s.getValue() + "'";
        }
        return "nothing";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Applies {@code f} when the value is present; a convenience for optional nested parsing. */
    public <T> Optional<T> map(String key, Function<YamlView, T> f) {
        return mapping(key).map(f);
    }
}
