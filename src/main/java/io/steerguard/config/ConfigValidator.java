package io.steerguard.config;

import io.steerguard.steering.easysteer.EasySteerRequests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks references between documents (profile → runtime, tenant → runtime and profiles), unique
 * names and keys, and what each runtime type can do.
 */
final class ConfigValidator {

    private ConfigValidator() {
    }

    static ConfigSet validate(List<ConfigDocument> documents, String fingerprint, List<ConfigProblem> problems) {
        Map<String, RuntimeDocument> runtimes = new LinkedHashMap<>();
        Map<String, SteeringProfileDocument> profiles = new LinkedHashMap<>();
        Map<String, TenantDocument> tenants = new LinkedHashMap<>();
        Map<String, GuardrailPolicyDocument> policies = new LinkedHashMap<>();
        for (ConfigDocument doc : documents) {
            ConfigDocument previous;
            if (doc instanceof RuntimeDocument r) {
                previous = runtimes.putIfAbsent(r.name(), r);
            } else if (doc instanceof SteeringProfileDocument p) {
                previous = profiles.putIfAbsent(p.name(), p);
            } else if (doc instanceof GuardrailPolicyDocument g) {
                previous = policies.putIfAbsent(g.name(), g);
            } else {
                TenantDocument t = (TenantDocument) doc;
                previous = tenants.putIfAbsent(t.name(), t);
            }
            if (previous != null) {
                problems.add(ConfigProblem.error(doc.location(), "metadata.name", "duplicate " + doc.kind() + " '"
                        + doc.name() + "', first defined at " + previous.location()));
            }
        }
        profiles.values().forEach(p -> checkProfile(p, runtimes, problems));
        Map<String, String> keyOwners = new HashMap<>();
        tenants.values().forEach(t -> checkTenant(t, runtimes, profiles, keyOwners, problems));
        tenants.values().forEach(t -> RolloutChecks.check(t, profiles, policies, problems));
        PolicySpecParser.checkReferences(policies.values(), profiles, problems);
        return new ConfigSet(runtimes, profiles, tenants, policies, fingerprint);
    }

    private static void checkProfile(SteeringProfileDocument p, Map<String, RuntimeDocument> runtimes,
                                     List<ConfigProblem> problems) {
        RuntimeDocument runtime = runtimes.get(p.runtime());
        if (runtime == null) {
            problems.add(ConfigProblem.error(p.runtimeLocation(), "spec.runtime",
                    "unknown runtime '" + p.runtime() + "'; defined runtimes: " + runtimes.keySet()));
            return;
        }
        if (p.routed()) {
            checkRouted(p, runtime, runtimes, problems);
            return;
        }
        if (!(runtime.spec() instanceof RuntimeDocument.Remote remote)) {
            return;
        }
        for (int i = 0; i < p.vectors().size(); i++) {
            SteeringProfileDocument.VectorEntry v = p.vectors().get(i);
            String field = "spec.vectors[" + i + "]";
            if (remote.flavor() == RuntimeDocument.Flavor.OPENAI) {
                problems.add(ConfigProblem.error(v.location(), field, "runtime '" + runtime.name()
                        + "' is type openai and cannot apply steering vectors; use type easysteer or embedded"));
            } else {
                if (v.normalization() != io.steerguard.steering.Normalisation.NONE) {
                    problems.add(ConfigProblem.error(v.location(), field + ".normalize", "runtime '"
                            + runtime.name() + "' is type easysteer: the server loads the file itself, so "
                            + "SteerGuard cannot rescale it; use normalize: none or an embedded runtime"));
                }
                EasySteerRequests.validate(RemoteProfiles.entry(v)).ifPresent(problem -> problems.add(
                        ConfigProblem.error(v.location(), field, "runtime '" + runtime.name() + "': " + problem)));
            }
        }
    }

    /**
     * A profile served by a process-wide steered server: both runtimes are plain {@code openai}
     * servers (SteerGuard sends neither any steering), the vectors only add (that is all control
     * vectors loaded at server start can do), and they are read locally for the audit and identity.
     */
    private static void checkRouted(SteeringProfileDocument p, RuntimeDocument base,
                                    Map<String, RuntimeDocument> runtimes, List<ConfigProblem> problems) {
        if (p.servedBy().equals(p.runtime())) {
            problems.add(ConfigProblem.error(p.servedByLocation(), "spec.servedBy", "names the profile's own runtime '"
                    + p.runtime() + "'; servedBy is the steered server, spec.runtime the unsteered one for the twin"));
            return;
        }
        RuntimeDocument servedBy = runtimes.get(p.servedBy());
        if (servedBy == null) {
            problems.add(ConfigProblem.error(p.servedByLocation(), "spec.servedBy",
                    "unknown runtime '" + p.servedBy() + "'; defined runtimes: " + runtimes.keySet()));
        } else if (!isOpenAi(servedBy)) {
            problems.add(ConfigProblem.error(p.servedByLocation(), "spec.servedBy", "runtime '" + servedBy.name()
                    + "' is type " + servedBy.spec().type() + "; servedBy names a server steered process-wide "
                    + "(e.g. llama.cpp with --control-vector-scaled), which must be type openai"));
        }
        if (!isOpenAi(base)) {
            problems.add(ConfigProblem.error(p.runtimeLocation(), "spec.runtime", "runtime '" + base.name()
                    + "' is type " + base.spec().type() + "; with servedBy, spec.runtime is the unsteered server "
                    + "the twin runs on, which must be type openai"));
        }
        if (p.vectors().isEmpty()) {
            problems.add(ConfigProblem.error(p.location(), "spec.vectors", "a profile with servedBy needs the "
                    + "vectors its server was started with (read locally for the geometry audit and identity)"));
        }
        for (int i = 0; i < p.vectors().size(); i++) {
            SteeringProfileDocument.VectorEntry v = p.vectors().get(i);
            String field = "spec.vectors[" + i + "]";
            if (v.operator() != io.steerguard.runtime.SteeringOperator.ADD) {
                problems.add(ConfigProblem.error(v.location(), field + ".operator", "operator "
                        + v.operator().configName() + " with servedBy: control vectors loaded by a server can only "
                        + "add; use operator add"));
            }
            if (v.normalization() != io.steerguard.steering.Normalisation.NONE) {
                problems.add(ConfigProblem.error(v.location(), field + ".normalize", "the server loads the file "
                        + "itself, so SteerGuard cannot rescale it; use normalize: none"));
            }
        }
    }

    private static boolean isOpenAi(RuntimeDocument runtime) {
        return runtime.spec() instanceof RuntimeDocument.Remote remote
                && remote.flavor() == RuntimeDocument.Flavor.OPENAI;
    }

    private static void checkTenant(TenantDocument t, Map<String, RuntimeDocument> runtimes,
                                    Map<String, SteeringProfileDocument> profiles, Map<String, String> keyOwners,
                                    List<ConfigProblem> problems) {
        for (String hash : t.apiKeySha256()) {
            String owner = keyOwners.putIfAbsent(hash, t.name());
            if (owner != null) {
                problems.add(ConfigProblem.error(t.location(), "spec.apiKeys", "API key sha256 " + hash.substring(0, 12)
                        + "… is also a key of tenant '" + owner + "'; keys must identify one tenant"));
            }
        }
        t.models().forEach((model, grant) -> {
            String field = "spec.models." + model;
            if (!runtimes.containsKey(model)) {
                problems.add(ConfigProblem.error(grant.location(), field,
                        "unknown runtime '" + model + "'; defined runtimes: " + runtimes.keySet()));
                return;
            }
            checkProfileRef(grant.defaultProfile(), model, profiles, grant.location(), field + ".defaultProfile", problems);
            List<String> seen = new ArrayList<>();
            for (String allowed : grant.allowedProfiles()) {
                if (seen.contains(allowed)) {
                    problems.add(ConfigProblem.warning(grant.allowedLocation(), field + ".allowedProfiles",
                            "profile '" + allowed + "' listed twice"));
                }
                seen.add(allowed);
                checkProfileRef(allowed, model, profiles, grant.allowedLocation(), field + ".allowedProfiles", problems);
            }
        });
    }

    private static void checkProfileRef(String profile, String model, Map<String, SteeringProfileDocument> profiles,
                                        SourceLocation at, String field, List<ConfigProblem> problems) {
        if (SteeringProfileDocument.UNSTEERED.equals(profile)) {
            return;
        }
        SteeringProfileDocument p = profiles.get(profile);
        if (p == null) {
            problems.add(ConfigProblem.error(at, field, "unknown steering profile '" + profile + "'"));
        } else if (!p.runtime().equals(model)) {
            problems.add(ConfigProblem.error(at, field, "steering profile '" + profile + "' is for runtime '"
                    + p.runtime() + "', not '" + model + "'"));
        }
    }
}
