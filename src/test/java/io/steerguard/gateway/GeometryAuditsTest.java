package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steerguard.config.ConfigLoader;
import io.steerguard.config.ConfigSet;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.VectorSet;
import io.steerguard.telemetry.GeometryMetrics;
import io.steerguard.tenant.TenantDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the admin geometry endpoint and the gauges compute, without HTTP: a copy of tiny-random, audited live. */
class GeometryAuditsTest {

    @TempDir
    static Path tmp;
    static Path model;
    static EmbeddedRuntime runtime;
    static GatewayState state;
    static float[] r1;

    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void setUp() throws IOException {
        model = Files.createDirectories(tmp.resolve("model"));
        for (String f : List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json")) {
            Files.copy(Path.of("models/tiny-random").resolve(f), model.resolve(f));
        }
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("gateway.yaml"), """
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: tiny}
                spec: {type: embedded, model: model, device: cpu}
                ---
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: remote}
                spec: {type: easysteer, baseUrl: "http://127.0.0.1:9/v1", upstreamModel: m}
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: leaning}
                spec:
                  runtime: tiny
                  vectors: [{file: leaning.gguf, layers: [1], coefficient: 2.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: far-away}
                spec:
                  runtime: remote
                  vectors: [{file: /srv/v.gguf, layers: [1], coefficient: 2.0}]
                """);
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(config));
        assertThat(outcome).as(outcome.toString()).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        ConfigSet set = ((ConfigLoader.Outcome.Loaded) outcome).config();
        runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("tiny", model).withDevice("cpu")
                .withMaxBatch(2).withMaxContext(128));
        r1 = random(64, 3);
        // the profile's vector at layer 1 is -r1: cosine -1 against the direction written below
        float[] minus = new float[64];
        for (int i = 0; i < 64; i++) {
            minus[i] = -r1[i];
        }
        Map<String, SteeringSpec> profiles = Map.of("leaning", SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, minus), 2.0)));
        state = new GatewayState(set, Map.<String, ModelRuntime>of("tiny", runtime), profiles, TenantDirectory.from(set),
                Instant.now());
    }

    @AfterAll
    static void tearDown() {
        runtime.close();
    }

    static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    static GeometryAudits audits() {
        return new GeometryAudits(settings(), new GeometryMetrics(registry));
    }

    static DocumentsConfig settings() {
        return new DocumentsConfig() {
            @Override
            public List<Path> paths() {
                return List.of(tmp.resolve("config"));
            }

            @Override
            public Path baseDir() {
                return tmp;
            }

            @Override
            public Duration reloadInterval() {
                return Duration.ZERO;
            }

            @Override
            public Duration drainTimeout() {
                return Duration.ZERO;
            }
        };
    }

    static void writeRefusal(float[] layer1) throws IOException {
        new RefusalDirection(VectorSet.of("llama", Map.of(1, layer1, 2, random(64, 9))), Set.of(73))
                .write(model.resolve("vectors").resolve(RefusalDirection.FILE_NAME));
    }

    static double cosineGauge() {
        return registry.find(GeometryMetrics.COSINE).tag("profile", "leaning").tag("layer", "1").gauge().value();
    }

    @Test
    void audits_unknownProfile_missingDirection_remoteRuntime_thenTheLiveAudit_cachedUntilTheFileChanges()
            throws IOException {
        GeometryAudits audits = audits();
        assertThat(audits.audit(state, "ghost")).isInstanceOf(GeometryAudits.Outcome.UnknownProfile.class);
        assertThat(audits.audit(state, "far-away")).isInstanceOf(GeometryAudits.Outcome.Unavailable.class)
                .extracting(o -> ((GeometryAudits.Outcome.Unavailable) o).message()).asString()
                .contains("needs an embedded runtime");
        GeometryAudits.Outcome missing = audits.audit(state, "leaning");
        assertThat(missing).isInstanceOf(GeometryAudits.Outcome.Unavailable.class);
        assertThat(((GeometryAudits.Outcome.Unavailable) missing).message())
                .contains("refusal-direction --model " + model);
        assertThat(registry.find(GeometryMetrics.COSINE).gauges()).isEmpty();

        writeRefusal(r1);
        GeometryAudits.Outcome first = audits.audit(state, "leaning");
        assertThat(first).isInstanceOf(GeometryAudits.Outcome.Ready.class);
        var row = ((GeometryAudits.Outcome.Ready) first).report().rows().get(0).geometry();
        assertThat(row.layer()).isEqualTo(1);
        assertThat(row.cosine()).isCloseTo(-1.0, within(1e-6));
        assertThat(row.relativeNorm()).isPositive().isFinite();
        assertThat(cosineGauge()).isCloseTo(-1.0, within(1e-6));
        assertThat(audits.audit(state, "leaning")).isSameAs(first);

        // a new refusal direction (the profile's vector now points along it) invalidates the cache
        float[] minus = new float[64];
        for (int i = 0; i < 64; i++) {
            minus[i] = -r1[i];
        }
        Path file = model.resolve("vectors").resolve(RefusalDirection.FILE_NAME);
        writeRefusal(minus);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        GeometryAudits.Outcome second = audits.audit(state, "leaning");
        assertThat(second).isNotSameAs(first);
        assertThat(((GeometryAudits.Outcome.Ready) second).report().rows().get(0).geometry().cosine())
                .isCloseTo(1.0, within(1e-6));
        assertThat(cosineGauge()).isCloseTo(1.0, within(1e-6));

        Files.delete(file);
        assertThat(audits.audit(state, "leaning")).isInstanceOf(GeometryAudits.Outcome.Unavailable.class);
        assertThat(registry.find(GeometryMetrics.COSINE).tag("profile", "leaning").gauges()).isEmpty();
    }
}
