package io.steerguard.cli;

import io.steerguard.config.ConfigLoader;
import io.steerguard.config.ConfigProblem;
import io.steerguard.config.ConfigSet;
import io.steerguard.config.GuardrailPolicyDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.policy.Decision;
import io.steerguard.policy.Explanation;
import io.steerguard.policy.GuardrailPolicy;
import io.steerguard.policy.PolicyEngine;
import io.steerguard.policy.PolicySet;
import io.steerguard.shadow.StatisticsJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code policy validate <path>...} checks configuration files for CI (exit 0 valid, 1 invalid, 2
 * usage); {@code policy explain <profile> --stats <file.json>} shows, offline, which policies
 * govern a profile and its numbers against each of their limits.
 */
public final class PolicyCommand {

    static final String USAGE = """
            usage: policy validate <file-or-folder>...
                   policy explain <profile> --stats <stats.json> [--policies <file-or-folder>]... \
            [--label key=value]... [--json]
            """;

    private PolicyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        return switch (args[0]) {
            case "validate" -> validate(List.of(args).subList(1, args.length), out, err);
            case "explain" -> explain(List.of(args).subList(1, args.length), out, err);
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int validate(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.stream().anyMatch(a -> a.startsWith("-"))) {
            err.print(USAGE);
            return 2;
        }
        ConfigLoader.Outcome outcome = new ConfigLoader().load(args.stream().map(Path::of).toList());
        if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
            rejected.problems().forEach(out::println);
            long errors = rejected.problems().stream().filter(ConfigProblem::isError).count();
            out.println(errors + (errors == 1 ? " error" : " errors"));
            return 1;
        }
        ConfigLoader.Outcome.Loaded loaded = (ConfigLoader.Outcome.Loaded) outcome;
        loaded.warnings().forEach(out::println);
        out.println("valid: " + loaded.config().policies().size() + " policies, " + loaded.config().profiles().size()
                + " profiles, " + loaded.warnings().size() + " warnings");
        return 0;
    }

    private static int explain(List<String> args, PrintStream out, PrintStream err) {
        String profile = null;
        Path stats = null;
        List<Path> policyPaths = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean hasValue = i + 1 < args.size();
            switch (a) {
                case "--stats" -> {
                    if (!hasValue) {
                        return usage(err, "--stats needs a file");
                    }
                    stats = Path.of(args.get(++i));
                }
                case "--policies" -> {
                    if (!hasValue) {
                        return usage(err, "--policies needs a file or folder");
                    }
                    policyPaths.add(Path.of(args.get(++i)));
                }
                case "--label" -> {
                    if (!hasValue || !args.get(i + 1).contains("=")) {
                        return usage(err, "--label needs key=value");
                    }
                    String[] kv = args.get(++i).split("=", 2);
                    labels.put(kv[0], kv[1]);
                }
                case "--json" -> json = true;
                default -> {
                    if (a.startsWith("-") || profile != null) {
                        return usage(err, "unexpected argument '" + a + "'");
                    }
                    profile = a;
                }
            }
        }
        if (profile == null || stats == null) {
            return usage(err, "explain needs a profile and --stats");
        }
        if (policyPaths.isEmpty()) {
            policyPaths.add(Path.of("policies"));
        }
        ConfigLoader.Outcome outcome = new ConfigLoader().load(policyPaths);
        if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
            rejected.problems().forEach(err::println);
            return 1;
        }
        ConfigSet config = ((ConfigLoader.Outcome.Loaded) outcome).config();
        SteeringProfileDocument doc = config.profiles().get(profile);
        if (doc != null && labels.isEmpty()) {
            labels.putAll(doc.metadata().labels());
        }
        StatisticsJson.Parsed parsed;
        try {
            parsed = StatisticsJson.read(Files.readString(stats));
        } catch (IOException e) {
            err.println(stats + ": cannot read: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println(stats + ": " + e.getMessage());
            return 1;
        }
        if (!parsed.profile().equals(profile)) {
            err.println(stats + ": statistics are of profile '" + parsed.profile() + "', not '" + profile + "'");
            return 1;
        }
        PolicySet set = new PolicySet(config.policies().values().stream().map(GuardrailPolicyDocument::policy).toList());
        List<GuardrailPolicy> matching = set.matching(profile, labels);
        Decision decision = PolicyEngine.evaluate(matching, parsed);
        Explanation explanation = new Explanation(profile, Optional.empty(),
                matching.stream().map(GuardrailPolicy::name).toList(), decision, parsed.asOf());
        out.print(json ? explanation.json() + "\n" : explanation.text());
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.print(USAGE);
        return 2;
    }
}
