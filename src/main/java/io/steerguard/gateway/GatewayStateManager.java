package io.steerguard.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.steerguard.config.ConfigLoader;
import io.steerguard.config.ConfigProblem;
import io.steerguard.config.ConfigSet;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.RuntimeModeDocuments;
import io.steerguard.config.ServingModeConfig;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.telemetry.ConfigMetrics;
import io.steerguard.tenant.RateLimits;
import io.steerguard.tenant.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Owns the {@link GatewayState}: loads the configuration documents at start (an invalid start
 * configuration stops the application, there is nothing to fall back to), watches them, and
 * applies a change only when all of it is valid — runtimes created, vectors loaded — so an invalid
 * edit leaves the last good configuration in force. Loading runs on one dedicated thread, never
 * on the event loop.
 */
@ApplicationScoped
public class GatewayStateManager {

    private static final Logger LOG = Logger.getLogger(GatewayStateManager.class);

    private final DocumentsConfig settings;
    private final RuntimeFactory runtimeFactory;
    private final ProfileResolver profileResolver;
    private final ConfigMetrics metrics;
    private final RateLimits rateLimits;
    private final SafetyGovernor governor;
    private final GeometryAudits geometry;
    private final ServingModeConfig mode;
    private final ConfigLoader loader = new ConfigLoader();
    private final AtomicReference<GatewayState> state = new AtomicReference<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steerguard-config");
        t.setDaemon(true);
        return t;
    });
    private volatile ReloadStatus lastStatus;

    public GatewayStateManager(DocumentsConfig settings, RuntimeFactory runtimeFactory,
                               ProfileResolver profileResolver, ConfigMetrics metrics, RateLimits rateLimits,
                               SafetyGovernor governor, GeometryAudits geometry, ServingModeConfig mode) {
        this.settings = settings;
        this.runtimeFactory = runtimeFactory;
        this.profileResolver = profileResolver;
        this.metrics = metrics;
        this.rateLimits = rateLimits;
        this.governor = governor;
        this.geometry = geometry;
        this.mode = mode;
    }

    void onStart(@Observes StartupEvent event) {
        String atStart = statFingerprint();
        ReloadStatus status = reload();
        if (!status.applied()) {
            StringBuilder message = new StringBuilder("SteerGuard configuration is invalid:");
            status.problems().forEach(p -> message.append("\n  ").append(p));
            throw new IllegalStateException(message.toString());
        }
        long interval = settings.reloadInterval().toMillis();
        if (interval > 0) {
            ConfigWatcher watcher = new ConfigWatcher(this::statFingerprint, this::reload, atStart);
            worker.scheduleWithFixedDelay(watcher::poll, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        GatewayState current = state.getAndSet(null);
        if (current != null) {
            current.runtimes().values().forEach(GatewayStateManager::closeQuietly);
        }
    }

    /** The configuration in force. */
    public GatewayState current() {
        GatewayState s = state.get();
        if (s == null) {
            throw new IllegalStateException("the gateway has no configuration yet");
        }
        return s;
    }

    /** The configuration in force, or empty before the first one is applied. */
    public java.util.Optional<GatewayState> currentIfApplied() {
        return java.util.Optional.ofNullable(state.get());
    }

    public ReloadStatus lastStatus() {
        return lastStatus;
    }

    /** Loads the documents now and applies them if valid. Blocking: call from a worker thread. */
    public synchronized ReloadStatus reload() {
        List<java.nio.file.Path> roots = settings.paths();
        ConfigLoader.Outcome outcome = loader.load(roots);
        ReloadStatus status = outcome instanceof ConfigLoader.Outcome.Loaded loaded
                ? apply(loaded.config(), loaded.warnings())
                : new ReloadStatus(Instant.now(), false, "", ((ConfigLoader.Outcome.Rejected) outcome).problems());
        report(status);
        lastStatus = status;
        return status;
    }

    private ReloadStatus apply(ConfigSet config, List<ConfigProblem> warnings) {
        GatewayState previous = state.get();
        List<ConfigProblem> problems = new ArrayList<>(warnings);
        if (mode.runtimeMode()) {
            problems.addAll(RuntimeModeDocuments.problems(config));
            if (problems.stream().anyMatch(ConfigProblem::isError)) {
                return new ReloadStatus(Instant.now(), false, config.fingerprint(), problems);
            }
        }
        try (StagedRuntimes staged = new StagedRuntimes(runtimeFactory)) {
            return apply(config, previous, problems, staged);
        }
    }

    private ReloadStatus apply(ConfigSet config, GatewayState previous, List<ConfigProblem> problems,
                               StagedRuntimes staged) {
        Map<String, ModelRuntime> runtimes = new HashMap<>();
        for (RuntimeDocument doc : config.runtimes().values()) {
            Optional<ModelRuntime> reusable = reusable(previous, doc);
            if (reusable.isPresent()) {
                runtimes.put(doc.name(), reusable.get());
                continue;
            }
            try {
                runtimes.put(doc.name(), staged.create(doc));
            } catch (RuntimeException e) {
                problems.add(ConfigProblem.error(doc.location(), "spec", "cannot start runtime '" + doc.name()
                        + "': " + e.getMessage()));
            }
        }
        Map<String, SteeringSpec> profiles = new HashMap<>();
        for (SteeringProfileDocument profile : config.profiles().values()) {
            ModelRuntime runtime = runtimes.get(profile.runtime());
            if (runtime != null) {
                profileResolver.resolve(profile, config.runtimes().get(profile.runtime()), runtime, problems)
                        .ifPresent(spec -> profiles.put(profile.name(), spec));
            }
        }
        if (problems.stream().anyMatch(ConfigProblem::isError)) {
            return new ReloadStatus(Instant.now(), false, config.fingerprint(), problems); // staged ones close
        }
        GatewayState applied = new GatewayState(config, runtimes, profiles, TenantDirectory.from(config), Instant.now());
        rateLimits.update(config, System.nanoTime());
        governor.configure(config, profiles); // identities from the vectors as loaded
        state.set(applied);
        staged.commit();
        geometry.refresh(applied); // on its own thread: measuring residual norms runs the model
        if (previous != null) {
            List<ModelRuntime> retired = previous.runtimes().values().stream()
                    .filter(r -> !runtimes.containsValue(r)).toList();
            worker.schedule(() -> retired.forEach(GatewayStateManager::closeQuietly),
                    settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        return new ReloadStatus(Instant.now(), true, config.fingerprint(), problems);
    }

    /** An unchanged runtime document keeps its live runtime (and its loaded model, its connections). */
    private static Optional<ModelRuntime> reusable(GatewayState previous, RuntimeDocument doc) {
        if (previous == null) {
            return Optional.empty();
        }
        RuntimeDocument old = previous.config().runtimes().get(doc.name());
        if (old == null || !old.spec().equals(doc.spec())) {
            return Optional.empty();
        }
        return previous.runtime(doc.name());
    }

    private void report(ReloadStatus status) {
        if (status.applied()) {
            metrics.applied(status.at().getEpochSecond());
            LOG.infof("configuration %s applied from %s", abbreviate(status.fingerprint()), settings.paths());
            status.problems().forEach(p -> LOG.warn(p.toString()));
        } else {
            metrics.rejected();
            StringBuilder message = new StringBuilder("configuration change rejected; the last good configuration "
                    + "stays in force:");
            status.problems().stream().filter(ConfigProblem::isError).forEach(p -> message.append("\n  ").append(p));
            LOG.error(message);
        }
    }

    /**
     * Change detection: names, sizes, modification times and SHA-256 of the documents and of the
     * vector files embedded profiles read (a ConfigMap swap changes all of them; an in-place edit
     * may keep size and second-resolution time, but not the hash).
     */
    private String statFingerprint() {
        StringBuilder sb = new StringBuilder();
        List<java.nio.file.Path> files = new ArrayList<>(ConfigLoader.files(settings.paths(), new ArrayList<>()));
        GatewayState current = state.get();
        if (current != null) {
            files.addAll(DefaultProfileResolver.vectorFiles(current.config(), settings.baseDir()));
        }
        for (java.nio.file.Path file : files) {
            try {
                sb.append(file).append('|').append(java.nio.file.Files.size(file)).append('|')
                        .append(java.nio.file.Files.getLastModifiedTime(file).toMillis()).append('|')
                        .append(sha256(file)).append('\n');
            } catch (java.io.IOException e) {
                sb.append(file).append("|unreadable\n");
            }
        }
        return sb.toString();
    }

    private static String sha256(java.nio.file.Path file) throws java.io.IOException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }

    private static void closeQuietly(ModelRuntime runtime) {
        StagedRuntimes.closeQuietly(runtime);
    }
}
