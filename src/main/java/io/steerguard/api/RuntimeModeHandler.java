package io.steerguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.config.ServingModeConfig;
import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.RuntimeModeVectors;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.easysteer.EasySteerLimits;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import io.steerguard.telemetry.GatewayMetrics;
import io.steerguard.telemetry.RequestTags;
import io.steerguard.tenant.ApiKeys;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code /v1/*} in runtime mode ({@code steerguard.mode=runtime}): the configured embedded runtimes,
 * served directly with the steering each request carries as EasySteer's {@code steering} object.
 * No tenants, profiles, policies or shadow traffic; an optional bearer key. Request parsing and the
 * OpenAI response and SSE writing are the gateway's own ({@link RequestParser}, {@link GenerationResponder}).
 */
@ApplicationScoped
public class RuntimeModeHandler {

    private static final Logger LOG = Logger.getLogger(RuntimeModeHandler.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final GatewayStateManager states;
    private final GatewayMetrics metrics;
    private final RuntimeModeVectors vectors;
    private final RequestParser parser;
    private final Optional<String> keySha256;

    public RuntimeModeHandler(GatewayStateManager states, GatewayMetrics metrics, RuntimeModeVectors vectors,
                              ObjectMapper mapper, ApiConfig api, ServingModeConfig mode) {
        this.states = states;
        this.metrics = metrics;
        this.vectors = vectors;
        this.parser = new RequestParser(mapper, api.defaultMaxTokens(), api.maxTokensLimit(),
                RequestParser.SteeringField.EASYSTEER, limits(mode.runtime()));
        this.keySha256 = mode.runtime().apiKeySha256().map(k -> k.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(k -> !k.isEmpty());
    }

    /** The request bounds runtime mode enforces. */
    static EasySteerLimits limits(ServingModeConfig.RuntimeMode runtime) {
        return new EasySteerLimits(runtime.maxScale(), runtime.maxVectors(), runtime.maxLayers());
    }

    /**
     * Why runtime mode must not start with these settings, if it must not: without a key it would
     * serve any caller, so that takes an explicit {@code steerguard.runtime.insecure-no-key=true}.
     */
    static Optional<String> startupProblem(ServingModeConfig mode) {
        if (!mode.runtimeMode()) {
            return Optional.empty();
        }
        boolean keyed = mode.runtime().apiKeySha256().map(String::trim).filter(k -> !k.isEmpty()).isPresent();
        if (!keyed && !mode.runtime().insecureNoKey()) {
            return Optional.of("runtime mode needs a key: set steerguard.runtime.api-key-sha256"
                    + " (STEERGUARD_RUNTIME_API_KEY_SHA256) to the hex SHA-256 of the bearer key gateways send, or"
                    + " steerguard.runtime.insecure-no-key=true (STEERGUARD_RUNTIME_INSECURE_NO_KEY) to serve"
                    + " /v1/* to anyone who can reach it");
        }
        return Optional.empty();
    }

    void checkOnStart(@Observes @Priority(10) StartupEvent event, ServingModeConfig mode) {
        Optional<String> problem = startupProblem(mode);
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        if (mode.runtimeMode() && keySha256.isEmpty()) {
            LOG.warn("runtime mode serves /v1/* without a key (steerguard.runtime.insecure-no-key=true)");
        }
    }

    void generate(RoutingContext rc, Operation operation) {
        long start = System.nanoTime();
        metrics.requestStarted();
        RequestTags tags = RequestTags.unknown(operation.tagValue());
        String requestId = GenerationHandler.requestId(rc.request().getHeader(GenerationHandler.REQUEST_ID_HEADER));
        rc.response().putHeader(GenerationHandler.REQUEST_ID_HEADER, requestId);
        try {
            if (!authorized(rc)) {
                reject(rc, tags, start, OpenAiError.invalidApiKey());
                return;
            }
            RequestParser.Result parsed = parser.parse(operation, rc.body().buffer() == null ? null
                    : rc.body().buffer().getBytes());
            if (parsed instanceof RequestParser.Result.Invalid invalid) {
                reject(rc, tags, start, invalid.error());
                return;
            }
            CompletionRequest request = ((RequestParser.Result.Valid) parsed).request();
            ModelRuntime runtime = states.current().runtime(request.model()).orElse(null);
            if (runtime == null || !vectors.accepts(runtime)) {
                reject(rc, tags, start, OpenAiError.modelNotFound(request.model()));
                return;
            }
            RequestTags modelTags = tags.withModel(request.model());
            Context context = Vertx.currentContext();
            // vector files are read (or their stamps checked) on a worker, never on the event loop
            context.<RuntimeModeVectors.Result>executeBlocking(() -> vectors.load(request.steering(), runtime), false)
                    .onComplete(loaded -> {
                        if (loaded.failed()) {
                            LOG.errorf(loaded.cause(), "request %s: loading steering vectors failed", requestId);
                            reject(rc, modelTags, start, OpenAiError.internal());
                        } else if (loaded.result() instanceof RuntimeModeVectors.Result.Rejected rejected) {
                            reject(rc, modelTags, start, OpenAiError.invalidRequest(rejected.message(),
                                    rejected.param()));
                        } else {
                            SteeringSpec steering = ((RuntimeModeVectors.Result.Loaded) loaded.result()).spec();
                            serve(rc, context, operation, request, runtime, steering, requestId, modelTags, start);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s failed before generation", requestId);
            reject(rc, tags, start, OpenAiError.internal());
        }
    }

    private void serve(RoutingContext rc, Context context, Operation operation, CompletionRequest request,
                       ModelRuntime runtime, SteeringSpec steering, String requestId, RequestTags tags, long start) {
        if (rc.response().ended() || rc.response().closed()) {
            metrics.requestFinished(tags.withProfile(RequestTags.NONE, "cancelled"), 499, System.nanoTime() - start);
            return;
        }
        String decision = steering.isNone() ? "unsteered" : "steered";
        RequestTags finalTags = tags.withProfile(RequestTags.NONE, decision);
        rc.response().putHeader(GenerationHandler.DECISION_HEADER, decision);
        GenerationRequest generation = new GenerationRequest(requestId, request.prompt(),
                request.samplingFor(runtime.samplingDefaults()), steering, Introspection.none(),
                io.steerguard.runtime.Priority.INTERACTIVE, request.tools());
        ResponseFormat format = new ResponseFormat(operation, operation.idPrefix() + requestId,
                System.currentTimeMillis() / 1000, request.model(), request.includeUsage());
        GenerationResponder responder = new GenerationResponder(context, rc.response(), format,
                request.stream(), request.sampling().logprobs(), request.model(),
                new RequestListener(metrics, finalTags, start, request.model(), null));
        runtime.generate(generation).subscribe().withSubscriber(responder);
    }

    /** {@code GET /v1/models}: the served runtimes, in OpenAI's list shape. */
    void models(RoutingContext rc) {
        if (!authorized(rc)) {
            AdminHandler.send(rc, OpenAiError.invalidApiKey());
            return;
        }
        GatewayState state = states.current();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (String name : new TreeSet<>(state.runtimes().keySet())) {
                g.writeStartObject();
                g.writeStringField("id", name);
                g.writeStringField("object", "model");
                g.writeNumberField("created", state.appliedAt().getEpochSecond());
                g.writeStringField("owned_by", "steerguard");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(out.toByteArray()));
    }

    private boolean authorized(RoutingContext rc) {
        if (keySha256.isEmpty()) {
            return true;
        }
        String token = ApiKeys.bearerToken(rc.request().getHeader("Authorization"));
        return token != null && ApiKeys.matches(token, keySha256.get());
    }

    private void reject(RoutingContext rc, RequestTags tags, long start, OpenAiError error) {
        rc.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(error.toJson());
        metrics.requestFinished(tags.withProfile(tags.profile(), "rejected"), error.status(),
                System.nanoTime() - start);
    }
}
