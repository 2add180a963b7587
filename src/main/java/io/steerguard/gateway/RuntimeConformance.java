package io.steerguard.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.steerguard.config.ConformanceConfig;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.ServingModeConfig;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.ConformanceProbe;
import io.steerguard.telemetry.ConformanceMetrics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Checks every remote runtime of the applied configuration with {@link ConformanceProbe}, at start-up
 * and whenever a reload brings a new runtime or a new vector configuration: on its own thread, one
 * request at a time, each bounded by {@code steerguard.conformance.timeout}, so neither the event
 * loop nor start-up waits for an upstream. A configuration already checked on the same live runtime
 * is not sent again. Results: {@link #snapshot()} (in {@code /admin/config}), the gauge
 * {@link ConformanceMetrics#CONFORMANCE}, and readiness ({@link RuntimeConformanceHealth}).
 */
@ApplicationScoped
public class RuntimeConformance {

    private static final Logger LOG = Logger.getLogger(RuntimeConformance.class);

    /** What was checked: the live runtime and the steering configurations sent to it. */
    private record Plan(ModelRuntime runtime, Map<String, SteeringSpec> steered) {
    }

    private record Outcome(Plan plan, ConformanceProbe.Result result) {
    }

    private final GatewayStateManager states;
    private final ConformanceConfig config;
    private final ConformanceMetrics metrics;
    private final boolean runtimeMode;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Plan> pending = new ConcurrentHashMap<>();
    private volatile GatewayState seen;
    private ScheduledExecutorService worker;

    public RuntimeConformance(GatewayStateManager states, ConformanceConfig config, ConformanceMetrics metrics,
                              ServingModeConfig mode) {
        this.states = states;
        this.config = config;
        this.metrics = metrics;
        this.runtimeMode = mode.runtimeMode();
    }

    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        if (!config.enabled() || runtimeMode) {
            return;
        }
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "steerguard-conformance");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, config.pollInterval().toMillis());
        worker.scheduleWithFixedDelay(this::pollSafely, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warnf(e, "conformance check failed to run");
        }
    }

    /** Checks what the configuration in force has not had checked yet. Blocking: the worker thread only. */
    void poll() {
        GatewayState state;
        try {
            state = states.current();
        } catch (IllegalStateException notYet) {
            return;
        }
        if (state == seen) {
            return;
        }
        Map<String, Plan> plans = plans(state);
        outcomes.keySet().retainAll(plans.keySet());
        pending.clear();
        plans.forEach((name, plan) -> {
            Outcome last = outcomes.get(name);
            if (last == null || last.plan().runtime() != plan.runtime() || !last.plan().steered().equals(plan.steered())) {
                pending.put(name, plan);
            }
        });
        seen = state;
        Duration timeout = config.timeout();
        for (Map.Entry<String, Plan> p : new TreeMap<>(pending).entrySet()) {
            ConformanceProbe.Result result = ConformanceProbe.run(p.getKey(), p.getValue().runtime(), p.getValue().steered(),
                    timeout).await().atMost(timeout.multipliedBy(p.getValue().steered().size() + 2));
            outcomes.put(p.getKey(), new Outcome(p.getValue(), result));
            pending.remove(p.getKey());
            metrics.set(p.getKey(), result.ok());
            if (result.ok()) {
                LOG.infof("runtime '%s' passed the conformance check (%d requests)", p.getKey(), result.checks().size());
            } else {
                result.checks().stream().filter(c -> !c.ok()).forEach(c -> LOG.errorf(
                        "runtime '%s' fails the conformance check, %s: %s", p.getKey(), c.what(), c.reason()));
            }
        }
    }

    private Map<String, Plan> plans(GatewayState state) {
        List<String> selected = config.runtimes();
        Map<String, Plan> plans = new TreeMap<>();
        for (RuntimeDocument doc : state.config().runtimes().values()) {
            if (!(doc.spec() instanceof RuntimeDocument.Remote) || !(selected.contains("*") || selected.contains(doc.name()))) {
                continue;
            }
            ModelRuntime runtime = state.runtimes().get(doc.name());
            if (runtime == null) {
                continue;
            }
            Map<SteeringSpec, Set<String>> byConfig = new LinkedHashMap<>();
            for (SteeringProfileDocument profile : state.config().profiles().values()) {
                SteeringSpec spec = state.profiles().get(profile.name());
                if (Objects.equals(profile.runtime(), doc.name()) && !profile.routed() && spec != null && !spec.isNone()) {
                    // a routed profile's servers get plain requests only: their unsteered check covers them
                    byConfig.computeIfAbsent(spec, s -> new java.util.TreeSet<>()).add(profile.name());
                }
            }
            Map<String, SteeringSpec> steered = new LinkedHashMap<>();
            byConfig.forEach((spec, profiles) -> steered.put("steered (" + String.join(", ", profiles) + ")", spec));
            plans.put(doc.name(), new Plan(runtime, steered));
        }
        return plans;
    }

    /** Per checked runtime: whether it passed, when, and each request's outcome; runtimes still queued say so. */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new TreeMap<>();
        outcomes.forEach((name, o) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("status", o.result().ok() ? "ok" : "failed");
            r.put("checkedAt", o.result().at().toString());
            r.put("checks", o.result().checks().stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("request", c.what());
                m.put("ok", c.ok());
                if (!c.ok()) {
                    m.put("reason", c.reason());
                }
                return m;
            }).toList());
            out.put(name, r);
        });
        pending.keySet().forEach(name -> out.put(name, Map.of("status", "pending")));
        return out;
    }

    /** The runtimes whose last check failed, sorted. */
    public List<String> failed() {
        return outcomes.entrySet().stream().filter(e -> !e.getValue().result().ok()).map(Map.Entry::getKey)
                .sorted().toList();
    }
}
