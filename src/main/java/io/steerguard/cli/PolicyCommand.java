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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code policy validate <path>...} checks configuration files for CI (exit 0 valid, 1 invalid, 2
 * usage); {@code policy explain <profile> --stats <file.json>} shows, offline, which policies
 * govern a profile and its numbers against each of their limits; {@code policy statistics}
 * regenerates the simulated error rates of the decision rule ({@link PolicyStatisticsReport}).
 */
@Command(name = "policy", synopsisSubcommandLabel = "(validate | explain | statistics)",
        description = "Validate policy and configuration files, explain a profile's decision, simulate the rule.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Explain.class, PolicyStatisticsReport.class})
public final class PolicyCommand extends ToolCommand {

    @Override
    public Integer call() {
        throw usage("policy needs a subcommand: validate, explain or statistics");
    }

    /** Loads configuration files the way the gateway does and prints every problem with file, line, column and field. */
    @Command(name = "validate", description = "Check policy and configuration files (YAML documents) for CI; prints "
            + "each problem as file:line:column: field: message.")
    static final class Validate extends ToolCommand {

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to load together.")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintStream out = out();
            ConfigLoader.Outcome outcome = new ConfigLoader().load(paths);
            if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
                rejected.problems().forEach(out::println);
                long errors = rejected.problems().stream().filter(ConfigProblem::isError).count();
                out.println(errors + (errors == 1 ? " error" : " errors"));
                return Exit.CHECK_FAILED;
            }
            ConfigLoader.Outcome.Loaded loaded = (ConfigLoader.Outcome.Loaded) outcome;
            loaded.warnings().forEach(out::println);
            out.println("valid: " + loaded.config().policies().size() + " policies, " + loaded.config().profiles().size()
                    + " profiles, " + loaded.warnings().size() + " warnings");
            return Exit.OK;
        }
    }

    /** Offline: the policies that govern a profile and its statistics against each of their limits. */
    @Command(name = "explain", description = "Show which policies govern a profile and its statistics against each "
            + "limit, offline.")
    static final class Explain extends ToolCommand {

        @Parameters(index = "0", paramLabel = "PROFILE", description = "Steering profile name.")
        String profile;
        @Option(names = "--stats", required = true, paramLabel = "FILE.json", description = "Statistics JSON of the profile "
                + "(GET /admin/profiles/{name}/statistics).")
        Path stats;
        @Option(names = "--policies", paramLabel = "PATH", description = "Policy files or folders (repeatable; default: policies).")
        List<Path> policyPaths = new ArrayList<>();
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Profile label for selectors (repeatable; default: "
                + "the profile document's labels).")
        Map<String, String> labels = new LinkedHashMap<>();
        @Option(names = "--json", description = "Print the explanation as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintStream out = out();
            PrintStream err = err();
            List<Path> roots = policyPaths.isEmpty() ? List.of(Path.of("policies")) : policyPaths;
            ConfigLoader.Outcome outcome = new ConfigLoader().load(roots);
            if (outcome instanceof ConfigLoader.Outcome.Rejected rejected) {
                rejected.problems().forEach(err::println);
                return Exit.CHECK_FAILED;
            }
            ConfigSet config = ((ConfigLoader.Outcome.Loaded) outcome).config();
            SteeringProfileDocument doc = config.profiles().get(profile);
            Map<String, String> selectorLabels = new LinkedHashMap<>(labels);
            if (doc != null && selectorLabels.isEmpty()) {
                selectorLabels.putAll(doc.metadata().labels());
            }
            StatisticsJson.Parsed parsed;
            try {
                parsed = StatisticsJson.read(Files.readString(stats));
            } catch (IOException e) {
                err.println("error: " + stats + ": cannot read: " + e.getMessage());
                return Exit.FAILURE;
            } catch (IllegalArgumentException e) {
                return malformed(stats + ": " + e.getMessage());
            }
            if (!parsed.profile().equals(profile)) {
                return malformed(stats + ": statistics are of profile '" + parsed.profile() + "', not '" + profile + "'");
            }
            PolicySet set = new PolicySet(config.policies().values().stream().map(GuardrailPolicyDocument::policy).toList());
            List<GuardrailPolicy> matching = set.matching(profile, selectorLabels);
            Decision decision = PolicyEngine.evaluate(matching, parsed);
            Explanation explanation = new Explanation(profile, Optional.empty(),
                    matching.stream().map(GuardrailPolicy::name).toList(), decision, parsed.asOf());
            out.print(json ? explanation.json() + "\n" : explanation.text());
            return Exit.OK;
        }
    }
}
