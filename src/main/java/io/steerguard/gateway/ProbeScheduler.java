package io.steerguard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.policy.GuardrailPolicy;
import io.steerguard.policy.ProbeSettings;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.shadow.AttackTemplates;
import io.steerguard.shadow.ProbeConfig;
import io.steerguard.shadow.ProbeFileException;
import io.steerguard.shadow.ProbeJob;
import io.steerguard.shadow.ProbeReport;
import io.steerguard.shadow.ProbeRun;
import io.steerguard.shadow.ProbeRunner;
import io.steerguard.shadow.ProbeRunnerOptions;
import io.steerguard.shadow.ProbeSet;
import io.steerguard.shadow.ShadowConfig;
import io.steerguard.telemetry.ProbeMetrics;
import io.steerguard.telemetry.ShadowMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs probe audits: on the schedule the guardrail policies set ({@code probes.every}, checked on
 * its own thread) and on demand, one audit per profile at a time. When several policies with a
 * {@code probes} section select a profile, the one probing most often decides set, templates and
 * interval (ties: the first by name); its {@code shadow.maxTokens} and {@code decision.confidence}
 * apply. Each result goes to the profile's statistics (judged by {@code maxAsrUplift}) and metrics;
 * the latest report per profile is kept for the admin API.
 */
@ApplicationScoped
public class ProbeScheduler {

    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final ProbeConfig config;
    private final ShadowConfig shadow;
    private final DocumentsConfig documents;
    private final GatewayStateManager states;
    private final SafetyGovernor governor;
    private final ProbeMetrics metrics;
    private final ProbeRunner runner;
    private final ProbeSchedule schedule;
    private final AttackTemplates templates = AttackTemplates.builtin();
    private final Map<String, ProbeRun> running = new ConcurrentHashMap<>();
    private final Map<String, ProbeReport> latest = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steerguard-probe-scheduler");
        t.setDaemon(true);
        return t;
    });

    public ProbeScheduler(ProbeConfig config, ShadowConfig shadow, DocumentsConfig documents,
                          GatewayStateManager states, SafetyGovernor governor, RefusalClassifier classifier,
                          ProbeMetrics metrics, ShadowMetrics shadowMetrics) {
        this.config = config;
        this.shadow = shadow;
        this.documents = documents;
        this.states = states;
        this.governor = governor;
        this.metrics = metrics;
        this.schedule = new ProbeSchedule(config.initialDelay());
        this.runner = new ProbeRunner(classifier,
                new ProbeRunnerOptions(config.concurrency(), config.rate(), config.timeout()),
                result -> {
                    // A profile removed while its audit ran gets no statistics entry back.
                    if (governor.profiles().contains(result.profile())) {
                        governor.statistics().recordProbe(result);
                    }
                },
                (profile, path, refused) -> shadowMetrics.verdict(profile, path, "probe", refused));
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            long interval = config.checkInterval().toMillis();
            ticker.scheduleWithFixedDelay(this::tickSafely, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
        running.values().forEach(ProbeRun::cancel);
        runner.close();
    }

    /**
     * Starts an audit of {@code profile} unless one is running. Blocking (a custom probe file is
     * read here, so its errors reach the caller): call from a worker thread.
     *
     * @param trigger {@code schedule} or {@code admin}
     */
    public AuditStart audit(String profile, String trigger) {
        ProbeRun current = running.get(profile);
        if (current != null) {
            return new AuditStart.AlreadyRunning(current);
        }
        ProbeJob job;
        try {
            job = plan(profile, trigger);
        } catch (ProbeFileException | IllegalArgumentException | IllegalStateException e) {
            return new AuditStart.Unavailable(e.getMessage());
        }
        synchronized (running) {
            ProbeRun other = running.get(profile);
            if (other != null) {
                return new AuditStart.AlreadyRunning(other);
            }
            ProbeRun run = runner.start(job);
            running.put(profile, run);
            run.result().whenComplete((report, error) -> finished(run, job, report, error));
            LOG.infof("probe audit %s of profile %s started (%s): %d probes x %s from %s", run.id(), profile,
                    trigger, job.probes().size(), job.attacks(), job.probes().source());
            return new AuditStart.Started(run, job);
        }
    }

    /** The audit of {@code profile} in progress, if any. */
    public Optional<ProbeRun> running(String profile) {
        return Optional.ofNullable(running.get(profile));
    }

    /** The report of the last audit of {@code profile} that measured anything. */
    public Optional<ProbeReport> latest(String profile) {
        return Optional.ofNullable(latest.get(profile));
    }

    /** Why the last audit of {@code profile} failed, when it did (cleared by the next report). */
    public Optional<String> lastFailure(String profile) {
        return Optional.ofNullable(lastFailure.get(profile));
    }

    private void finished(ProbeRun run, ProbeJob job, ProbeReport report, Throwable error) {
        running.remove(job.profile(), run);
        schedule.finished(job.profile(), Instant.now());
        if (report != null) {
            metrics.run(job.profile(), report.outcome().tag());
            if (report.outcome() == ProbeReport.Outcome.FAILED) {
                lastFailure.put(job.profile(), "audit " + run.id() + ": no probe pair could be measured ("
                        + report.errors() + " errors)");
                LOG.warnf("probe audit %s of profile %s measured nothing: %d errors", run.id(), job.profile(),
                        report.errors());
                return;
            }
            latest.put(job.profile(), report);
            lastFailure.remove(job.profile());
            metrics.record(report.overall(), report.confidence());
            var uplift = report.uplift();
            LOG.infof("probe audit %s of profile %s: %d pairs, %d errors, ASR steered %.3f unsteered %.3f, "
                    + "uplift %.3f [%.3f, %.3f]", run.id(), job.profile(), report.pairs(), report.errors(),
                    report.overall().asrSteered(report.confidence()).value(),
                    report.overall().asrUnsteered(report.confidence()).value(), uplift.value(),
                    uplift.interval().lower(), uplift.interval().upper());
        } else if (error instanceof CancellationException) {
            metrics.run(job.profile(), "cancelled");
        } else {
            metrics.run(job.profile(), "failed");
            lastFailure.put(job.profile(), "audit " + run.id() + ": " + error);
        }
    }

    private ProbeJob plan(String profile, String trigger) {
        GatewayState state = states.current();
        SteeringProfileDocument doc = state.config().profiles().get(profile);
        if (doc == null) {
            throw new IllegalStateException("no steering profile named '" + profile + "'");
        }
        if (doc.routed()) {
            // a probe pairs both sides on one runtime; a routed profile's sides are two servers
            throw new IllegalStateException("probe audits of profile '" + profile + "' (served by '" + doc.servedBy()
                    + "') are not supported yet; its live traffic is still mirrored");
        }
        ModelRuntime runtime = state.runtime(doc.runtime()).orElseThrow(() ->
                new IllegalStateException("runtime '" + doc.runtime() + "' of profile '" + profile + "' is not running"));
        Optional<GuardrailPolicy> policy = probingPolicy(profile);
        ProbeSettings settings = policy.flatMap(GuardrailPolicy::probes).orElseGet(() ->
                new ProbeSettings(Duration.ofDays(1), ProbeSet.BUILTIN, config.defaultAttacks()));
        ProbeSet probes = ProbeSet.load(settings.set(), documents.baseDir());
        int maxTokens = policy.map(p -> p.shadow().maxTokens()).orElse(shadow.maxTokens());
        double confidence = policy.map(p -> p.decision().confidence()).orElse(0.95);
        return new ProbeJob(profile, runtime, state.steering(profile), probes, settings.attacks(), templates,
                maxTokens, confidence, policy.map(GuardrailPolicy::name).orElse(null), trigger);
    }

    /** The policy that probes {@code profile} most often (ties: first by name), if any sets probes. */
    private Optional<GuardrailPolicy> probingPolicy(String profile) {
        return governor.policies().matching(profile, governor.labels(profile)).stream()
                .filter(p -> p.probes().isPresent())
                .min(Comparator.comparing((GuardrailPolicy p) -> p.probes().get().every())
                        .thenComparing(GuardrailPolicy::name));
    }

    /** One scheduler pass: start the audits that are due. */
    void tick() {
        List<String> profiles = governor.profiles();
        latest.keySet().retainAll(profiles);
        lastFailure.keySet().retainAll(profiles);
        metrics.retain(java.util.Set.copyOf(profiles));
        Map<String, Duration> every = new HashMap<>();
        for (String profile : profiles) {
            probingPolicy(profile).ifPresent(p -> every.put(profile, p.probes().get().every()));
        }
        for (String profile : schedule.due(every, Instant.now())) {
            if (running.containsKey(profile)) {
                continue;
            }
            AuditStart start = audit(profile, "schedule");
            if (start instanceof AuditStart.Unavailable u) {
                LOG.warnf("scheduled probe audit of profile %s cannot run: %s", profile, u.reason());
                lastFailure.put(profile, u.reason());
                metrics.run(profile, "failed");
                // try again after a full interval, not on every check
                schedule.finished(profile, Instant.now());
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("probe scheduling failed; it runs again at the next check", e);
        }
    }
}
