package io.steerguard.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.RuntimeDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.steering.GeometryBands;
import io.steerguard.steering.GeometryReport;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.ResidualNorms;
import io.steerguard.steering.VectorFileException;
import io.steerguard.telemetry.GeometryMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Geometry audits of the configured profiles against the refusal direction stored beside each
 * embedded model ({@code <model>/vectors/refusal-direction.safetensors}), for the admin endpoint
 * and the geometry gauges. An audit is cached per profile until the configuration in force or the
 * refusal-direction file changes; mean residual norms are measured once per live runtime. All
 * computation is blocking: callers run it on a worker, and {@link #refresh} on its own thread.
 */
@ApplicationScoped
public class GeometryAudits {

    private static final Logger LOG = Logger.getLogger(GeometryAudits.class);
    private static final Duration MEASURE_TIMEOUT = Duration.ofMinutes(2);

    /** What an audit request comes to. */
    public sealed interface Outcome {
        /** The audit, and where it was computed. */
        record Ready(GeometryReport report, String runtime, Path model, Instant computedAt) implements Outcome {
        }

        /** No profile of that name is configured. */
        record UnknownProfile(String profile) implements Outcome {
        }

        /** The profile exists but cannot be audited yet; the message says what to do. */
        record Unavailable(String message) implements Outcome {
        }
    }

    private record Cached(GatewayState state, String refusalStamp, Outcome outcome) {
    }

    private final DocumentsConfig settings;
    private final GeometryMetrics metrics;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Keyed by the live runtime: a runtime replaced by a reload is measured again. */
    private final Map<ModelRuntime, Map<Integer, Double>> residualNorms = Collections.synchronizedMap(new WeakHashMap<>());
    /** The configuration applied last: audits of an older one are answered but never shown in gauges. */
    private volatile GatewayState latest;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "steerguard-geometry");
        t.setDaemon(true);
        return t;
    });

    public GeometryAudits(DocumentsConfig settings, GeometryMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    void onStop(@Observes ShutdownEvent event) {
        refresher.shutdownNow();
    }

    /** Audits every profile of a newly applied configuration on the geometry thread, refreshing the gauges. */
    public void refresh(GatewayState state) {
        latest = state;
        refresher.execute(() -> {
            try {
                metrics.retain(state.config().profiles().keySet());
                cache.keySet().retainAll(state.config().profiles().keySet());
                for (String profile : state.config().profiles().keySet()) {
                    audit(state, profile);
                }
            } catch (RuntimeException e) {
                LOG.error("geometry audit after a configuration change failed; the gauges may be stale", e);
            }
        });
    }

    /** The audit of {@code profile} under {@code state}, cached. Blocking. */
    public Outcome audit(GatewayState state, String profile) {
        SteeringProfileDocument doc = state.config().profiles().get(profile);
        if (doc == null) {
            return new Outcome.UnknownProfile(profile);
        }
        RuntimeDocument runtimeDoc = state.config().runtimes().get(doc.runtime());
        if (!(runtimeDoc.spec() instanceof RuntimeDocument.Embedded embedded)) {
            return publish(state, profile, "", new Outcome.Unavailable("Profile '" + profile + "' runs on the " + runtimeDoc.spec().type()
                    + " runtime '" + doc.runtime() + "'; the geometry audit needs an embedded runtime's model. Audit its "
                    + "vectors offline with: audit --vector FILE --model MODEL_DIR"));
        }
        Path model = settings.baseDir().resolve(embedded.model());
        Path refusalFile = model.resolve("vectors").resolve(RefusalDirection.FILE_NAME);
        String stamp = stamp(refusalFile);
        Cached cached = cache.get(profile);
        if (cached != null && cached.state() == state && cached.refusalStamp().equals(stamp)) {
            return cached.outcome();
        }
        return publish(state, profile, stamp, compute(state, profile, doc.runtime(), model, refusalFile, stamp));
    }

    /** Caches the outcome and sets the gauges, unless a newer configuration has been applied meanwhile. */
    private Outcome publish(GatewayState state, String profile, String stamp, Outcome outcome) {
        GatewayState newest = latest;
        if (newest != null && newest != state) {
            return outcome;
        }
        if (outcome instanceof Outcome.Ready ready) {
            metrics.update(profile, ready.report().perLayer());
        } else {
            metrics.remove(profile);
        }
        cache.put(profile, new Cached(state, stamp, outcome));
        return outcome;
    }

    private Outcome compute(GatewayState state, String profile, String runtimeName, Path model, Path refusalFile,
                            String stamp) {
        if (stamp.isEmpty()) {
            return new Outcome.Unavailable("No refusal direction for model " + model + " yet (expected "
                    + refusalFile + "). Compute it with: refusal-direction --model " + model);
        }
        ModelRuntime runtime = state.runtime(runtimeName).orElse(null);
        SteeringSpec spec = state.profiles().get(profile);
        if (!(runtime instanceof EmbeddedRuntime embedded) || spec == null) {
            return new Outcome.Unavailable("Profile '" + profile + "' has no loaded vectors on a running embedded "
                    + "runtime; see GET /admin/config for configuration problems.");
        }
        RefusalDirection refusal;
        try {
            refusal = RefusalDirection.read(refusalFile);
        } catch (VectorFileException e) {
            return new Outcome.Unavailable("The refusal direction cannot be read: " + e.getMessage()
                    + ". Recompute it with: refusal-direction --model " + model);
        }
        int hidden = embedded.modelConfig().hiddenSize();
        if (refusal.directions().hiddenSize() != hidden) {
            return new Outcome.Unavailable("The refusal direction " + refusalFile + " has width "
                    + refusal.directions().hiddenSize() + ", the model's hidden size is " + hidden
                    + ". Recompute it with: refusal-direction --model " + model);
        }
        Map<Integer, Double> norms = residualNorms.computeIfAbsent(runtime,
                r -> ResidualNorms.measure(r, embedded.modelConfig().numLayers(), MEASURE_TIMEOUT));
        GeometryReport report = GeometryReport.audit("profile " + profile, spec, refusal, refusalFile.toString(), norms,
                GeometryBands.defaults());
        return new Outcome.Ready(report, runtimeName, model, Instant.now());
    }

    /** Size and modification time, or empty when the file does not exist. */
    private static String stamp(Path file) {
        try {
            return Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "";
        }
    }
}
