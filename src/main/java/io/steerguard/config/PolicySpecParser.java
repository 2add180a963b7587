package io.steerguard.config;

import io.steerguard.policy.DecisionRule;
import io.steerguard.policy.Glob;
import io.steerguard.policy.GuardrailPolicy;
import io.steerguard.policy.LimitKind;
import io.steerguard.policy.Limits;
import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.ProbeSettings;
import io.steerguard.policy.Recovery;
import io.steerguard.policy.Selector;
import io.steerguard.policy.ShadowSettings;
import io.steerguard.stats.RateInterval;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code spec} of a {@code GuardrailPolicy} document, reporting every problem with its
 * position, and checks the policies' profile references against the loaded profiles.
 */
final class PolicySpecParser {

    /** The attack templates shipped in {@code datasets/attack-templates.json} (a test keeps them in step). */
    static final List<String> ATTACKS = List.of("none", "prefix-injection", "refusal-suppression", "role-play",
            "json-wrapping");
    static final List<String> ACTIONS = Arrays.stream(PolicyAction.values()).map(PolicyAction::configName).toList();
    /** What a profile name can contain, plus the wildcards; anything else could never match. */
    private static final Pattern NAME_GLOB = Pattern.compile("[a-z0-9._*?-]{1,63}");
    private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(30);

    private PolicySpecParser() {
    }

    static GuardrailPolicyDocument parse(DocumentMetadata metadata, SourceLocation location, YamlView spec) {
        spec.allowOnly(Set.of("selector", "shadow", "probes", "limits", "decision", "action", "recovery"));
        if (!spec.has("selector")) {
            spec.error("selector", "required field is missing");
        }
        Optional<YamlView> selectorView = spec.mapping("selector");
        Selector selector = selectorView.map(PolicySpecParser::selector).orElse(Selector.ALL);
        SourceLocation profilesLocation = selectorView.map(s -> s.location("profiles")).orElse(location);
        ShadowSettings shadow = spec.mapping("shadow").map(PolicySpecParser::shadow).orElse(ShadowSettings.DEFAULT);
        Optional<ProbeSettings> probes = spec.mapping("probes").map(PolicySpecParser::probes);
        Limits limits = spec.mapping("limits").map(PolicySpecParser::limits).orElse(Limits.NONE);
        if (limits.isEmpty()) {
            spec.warning("limits", "no limits: this policy only sets shadow sampling and probes");
        }
        if (limits.get(LimitKind.ASR_UPLIFT).isPresent() && !spec.has("probes")) {
            spec.warning("limits", "maxAsrUplift is measured by probes; without a probes section it is never judged");
        }
        DecisionRule decision = spec.mapping("decision").map(PolicySpecParser::decision).orElse(DecisionRule.DEFAULT);
        Optional<PolicyAction> action = spec.oneOf("action", ACTIONS).map(PolicyAction::fromConfigName);
        if (!spec.has("action") && !limits.isEmpty()) {
            spec.error("action", "required when limits are set; expected one of " + ACTIONS);
        }
        Recovery recovery = spec.mapping("recovery").map(PolicySpecParser::recovery).orElse(Recovery.MANUAL);
        GuardrailPolicy policy = new GuardrailPolicy(metadata.name(), selector, shadow, probes, limits, decision,
                action.orElse(PolicyAction.ALERT), recovery);
        return new GuardrailPolicyDocument(metadata, location, policy, profilesLocation);
    }

    /**
     * Warns about selector entries naming a profile that does not exist (a typo would leave the
     * profile unguarded). Globs are not checked: {@code *} legitimately matches nothing in an empty set.
     */
    static void checkReferences(Collection<GuardrailPolicyDocument> policies,
                                Map<String, SteeringProfileDocument> profiles, List<ConfigProblem> problems) {
        for (GuardrailPolicyDocument doc : policies) {
            List<Glob> globs = doc.policy().selector().profiles();
            for (int i = 0; i < globs.size(); i++) {
                Glob g = globs.get(i);
                if (g.isLiteral() && !profiles.containsKey(g.pattern())) {
                    problems.add(ConfigProblem.warning(doc.profilesLocation(), "spec.selector.profiles[" + i + "]",
                            "unknown steering profile '" + g.pattern() + "'; defined profiles: "
                                    + new java.util.TreeSet<>(profiles.keySet())));
                }
            }
        }
    }

    private static Selector selector(YamlView s) {
        s.allowOnly(Set.of("profiles", "tenants", "labels"));
        List<String> profiles = names(s, "profiles", "profile");
        List<String> tenants = names(s, "tenants", "tenant");
        Map<String, String> labels = new LinkedHashMap<>();
        s.mapping("labels").ifPresent(l -> l.keys().forEach(k -> l.string(k).ifPresent(v -> labels.put(k, v))));
        if (!s.has("profiles") && !s.has("tenants") && !s.has("labels")) {
            s.error("profiles", "a selector must set profiles, tenants or labels; write profiles: [\"*\"] for all");
        }
        return Selector.of(profiles, tenants, labels);
    }

    private static List<String> names(YamlView s, String key, String what) {
        List<String> names = s.stringList(key);
        if (s.has(key) && names.isEmpty()) {
            s.error(key, "must list at least one " + what + " name or glob");
        }
        for (String n : names) {
            if (!NAME_GLOB.matcher(n).matches()) {
                s.error(key, "expected a " + what + " name or glob (lowercase letters, digits, '-', '.', '_', '*', "
                        + "'?'), got '" + n + "'");
            }
        }
        return names.stream().filter(n -> NAME_GLOB.matcher(n).matches()).toList();
    }

    private static ShadowSettings shadow(YamlView s) {
        s.allowOnly(Set.of("sampleRate", "probationSampleRate", "maxTokens"));
        double rate = s.number("sampleRate", 0, 1).orElse(ShadowSettings.DEFAULT.sampleRate());
        // Probation mirrors more so a new profile reaches its minSamples quickly.
        double probation = s.number("probationSampleRate", 0, 1).orElse(Math.min(1, 5 * rate));
        if (probation < rate) {
            s.error("probationSampleRate", "must not be below sampleRate " + rate + ", got " + probation);
            probation = rate;
        }
        int maxTokens = s.integer("maxTokens", 1, 4096).orElse(ShadowSettings.DEFAULT.maxTokens());
        return new ShadowSettings(rate, probation, maxTokens);
    }

    private static ProbeSettings probes(YamlView p) {
        p.allowOnly(Set.of("every", "set", "attacks"));
        Duration every = p.duration("every").orElse(Duration.ofMinutes(15));
        if (every.compareTo(MIN_WINDOW) < 0) {
            p.error("every", "must be at least 1m, got " + p.string("every").orElse(""));
            every = MIN_WINDOW;
        }
        String set = p.string("set").orElse("builtin");
        if (!set.equals("builtin") && !set.endsWith(".jsonl") && !set.endsWith(".csv")) {
            p.error("set", "expected 'builtin' or a path to a .jsonl or .csv probe file, got '" + set + "'");
        }
        List<String> attacks = p.has("attacks") ? p.stringList("attacks") : List.of("none");
        for (String a : attacks) {
            if (!ATTACKS.contains(a)) {
                p.error("attacks", "unknown attack template '" + a + "'; expected one of " + ATTACKS);
            }
        }
        if (p.has("attacks") && attacks.isEmpty()) {
            p.error("attacks", "must list at least one attack template; use [none] for plain probes");
        }
        List<String> known = attacks.stream().filter(ATTACKS::contains).toList();
        return new ProbeSettings(every, set, known.isEmpty() ? List.of("none") : known);
    }

    private static Limits limits(YamlView l) {
        l.allowOnly(Arrays.stream(LimitKind.values()).map(LimitKind::field).collect(java.util.stream.Collectors.toSet()));
        Map<LimitKind, Double> values = new EnumMap<>(LimitKind.class);
        for (LimitKind kind : LimitKind.values()) {
            boolean rate = kind == LimitKind.EXTERNALITY_RATE || kind == LimitKind.OVER_REFUSAL_RATE;
            l.number(kind.field(), rate ? 0 : -1, 1).ifPresent(v -> values.put(kind, v));
        }
        return new Limits(values);
    }

    private static DecisionRule decision(YamlView d) {
        d.allowOnly(Set.of("window", "minSamples", "confidence", "method"));
        Duration window = d.duration("window").orElse(DecisionRule.DEFAULT.window());
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            d.error("window", "must be between 1m and 30d, got " + d.string("window").orElse(""));
            window = DecisionRule.DEFAULT.window();
        }
        int minSamples = d.integer("minSamples", 1, 1_000_000).orElse(DecisionRule.DEFAULT.minSamples());
        double confidence = d.number("confidence", 0.5, 0.9999).orElse(DecisionRule.DEFAULT.confidence());
        RateInterval method = d.oneOf("method", Arrays.stream(RateInterval.values()).map(RateInterval::configName).toList())
                .map(RateInterval::fromConfigName).orElse(DecisionRule.DEFAULT.method());
        return new DecisionRule(window, minSamples, confidence, method);
    }

    private static Recovery recovery(YamlView r) {
        r.allowOnly(Set.of("mode", "cooldown"));
        String mode = r.oneOf("mode", List.of("manual", "auto")).orElse("manual");
        Optional<Duration> cooldown = r.duration("cooldown");
        if (mode.equals("auto")) {
            if (!r.has("cooldown")) {
                r.error("cooldown", "required when mode is auto");
            } else if (cooldown.isPresent() && cooldown.get().isZero()) {
                r.error("cooldown", "must be positive");
            }
            return cooldown.filter(c -> !c.isZero()).map(Recovery::auto).orElse(Recovery.MANUAL);
        }
        if (r.has("cooldown")) {
            r.error("cooldown", "only used with mode auto");
        }
        return Recovery.MANUAL;
    }
}
