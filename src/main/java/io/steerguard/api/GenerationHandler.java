package io.steerguard.api;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.Rollouts;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.policy.ServingDecision;
import io.steerguard.shadow.MirrorRequest;
import io.steerguard.shadow.PrimaryTap;
import io.steerguard.shadow.ShadowMirror;
import io.steerguard.runtime.Delivery;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.telemetry.GatewayMetrics;
import io.steerguard.telemetry.RequestTags;
import io.steerguard.tenant.ApiKeys;
import io.steerguard.tenant.ProfileChoice;
import io.steerguard.tenant.RateLimits;
import io.steerguard.tenant.Tenant;
import io.steerguard.tenant.TenantDirectory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/chat/completions}, {@code POST /v1/completions} and every other {@link Dialect}:
 * authenticate, validate, choose the steering profile, and stream the runtime's generation back.
 * The dialect only parses the body and writes the answer; everything between is this one pipeline.
 * Runs entirely on the event loop; nothing here blocks (the runtime offloads its own work).
 */
@ApplicationScoped
public class GenerationHandler {

    private static final Logger LOG = Logger.getLogger(GenerationHandler.class);

    /** Header a client uses to pick a steering profile. */
    public static final String PROFILE_HEADER = "X-SteerGuard-Profile";
    /** Response header telling how the request was served. */
    public static final String DECISION_HEADER = "X-SteerGuard-Decision";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final GatewayStateManager states;
    private final GatewayMetrics metrics;
    private final RateLimits rateLimits;
    private final Dialect chat;
    private final Dialect textCompletion;
    private final SafetyGovernor governor;
    private final ShadowMirror shadow;
    private final SteeredStreams steered;
    /** Safety-gated rollouts: which profile serves a request of a rolled-out profile. */
    @jakarta.inject.Inject
    Rollouts rollouts;

    public GenerationHandler(GatewayStateManager states, GatewayMetrics metrics, RateLimits rateLimits,
                             ObjectMapper mapper, ApiConfig api, SafetyGovernor governor, ShadowMirror shadow,
                             SteeredStreams steered) {
        this.states = states;
        this.steered = steered;
        this.governor = governor;
        this.shadow = shadow;
        this.metrics = metrics;
        this.rateLimits = rateLimits;
        RequestParser parser = new RequestParser(mapper, api.defaultMaxTokens(), api.maxTokensLimit());
        this.chat = new CompletionsDialect(Operation.CHAT, "/v1/chat/completions", parser);
        this.textCompletion = new CompletionsDialect(Operation.TEXT_COMPLETION, "/v1/completions", parser);
    }

    void handle(RoutingContext rc, Operation operation) {
        handle(rc, operation == Operation.CHAT ? chat : textCompletion);
    }

    /** Serves one request of {@code dialect}; the route must have run {@link RequestAdmission} and a body handler. */
    public void handle(RoutingContext rc, Dialect dialect) {
        long start = System.nanoTime();
        metrics.requestStarted();
        RequestTags tags = RequestTags.unknown(dialect.operation().tagValue());
        String requestId = requestId(rc.request().getHeader(REQUEST_ID_HEADER));
        rc.response().putHeader(REQUEST_ID_HEADER, requestId);
        try {
            serve(rc, dialect, start, tags, requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s failed before generation", requestId);
            reject(rc, tags, start, OpenAiError.internal());
        }
    }

    private void serve(RoutingContext rc, Dialect dialect, long start, RequestTags tags, String requestId) {
        GatewayState state = states.current();
        Tenant tenant = rc.get(RequestAdmission.TENANT); // set by RequestAdmission from the headers
        if (tenant == null) {
            tenant = state.tenants().authenticate(ApiKeys.bearerToken(rc.request().getHeader("Authorization")))
                    .orElse(null);
        }
        if (tenant == null) {
            reject(rc, tags, start, OpenAiError.invalidApiKey());
            return;
        }
        tags = tags.withTenant(tenant.name());
        OptionalLong retryAfter = rateLimits.tryAcquire(tenant.name(), start);
        if (retryAfter.isPresent()) {
            rc.response().putHeader("Retry-After", Long.toString(retryAfter.getAsLong()));
            reject(rc, tags, start, OpenAiError.rateLimited(tenant.name()));
            return;
        }
        Dialect.Parsed parsed = dialect.parse(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        if (parsed instanceof Dialect.Parsed.Invalid invalid) {
            reject(rc, tags, start, invalid.error());
            return;
        }
        Dialect.Parsed.Valid valid = (Dialect.Parsed.Valid) parsed;
        CompletionRequest request = valid.request();
        String headerProfile = rc.request().getHeader(PROFILE_HEADER);
        if (headerProfile != null && request.profile() != null && !headerProfile.equals(request.profile())) {
            reject(rc, tags, start, OpenAiError.invalidRequest("The " + PROFILE_HEADER + " header and "
                    + "'steering.profile' name different profiles; send one of them.", "steering.profile"));
            return;
        }
        ProfileChoice choice = TenantDirectory.choose(tenant, request.model(),
                headerProfile != null ? headerProfile : request.profile());
        if (choice instanceof ProfileChoice.UnknownModel) {
            reject(rc, tags, start, OpenAiError.modelNotFound(request.model()));
            return;
        }
        tags = tags.withModel(request.model());
        if (choice instanceof ProfileChoice.NotAllowed notAllowed) {
            reject(rc, tags, start, OpenAiError.profileNotAllowed(notAllowed.profile(), request.model()));
            return;
        }
        String asked = ((ProfileChoice.Chosen) choice).profile();
        // A rollout may serve this request with its candidate: the server's draw, never the client's
        // choice, and not disclosed (headers and errors name the profile the tenant is served).
        Rollouts.Arm arm = rollouts.route(tenant, request.model(), asked);
        String profile = arm.profile();
        ModelRuntime runtime = state.runtime(request.model()).orElseThrow(
                () -> new IllegalStateException("validated configuration lacks runtime " + request.model()));
        SteeringSpec steering = state.steering(profile);
        String decision = steering.isNone() ? "unsteered" : "steered";
        if (!steering.isNone()) {
            ServingDecision serving = governor.serve(profile, tenant.name());
            if (serving instanceof ServingDecision.Reject reject) {
                reject(rc, tags.withProfile(profile, "blocked"), start, OpenAiError.profileBlocked(asked,
                        reject.code()));
                return;
            }
            if (serving instanceof ServingDecision.FallbackUnsteered) {
                steering = SteeringSpec.none();
                decision = "fallback-unsteered";
            }
        }
        RequestTags finalTags = tags.withProfile(profile, decision);
        rc.response().putHeader(PROFILE_HEADER, asked).putHeader(DECISION_HEADER, decision);

        boolean servedSteered = !steering.isNone();
        ModelRuntime serving = runtime;
        Optional<String> servedBy = state.servedBy(profile);
        if (servedSteered && servedBy.isPresent()) {
            // the profile's server steers every request it gets: it is sent a plain request
            serving = state.runtime(servedBy.get()).orElseThrow(() -> new IllegalStateException(
                    "validated configuration lacks runtime " + servedBy.get()));
            steering = SteeringSpec.none();
        }
        // the requested model's defaults decide omitted fields, also when a steering server answers (the
        // shadow twin runs on that model with the same parameters)
        SamplingParams sampling = request.samplingFor(runtime.samplingDefaults());
        GenerationRequest generation = new GenerationRequest(requestId, request.prompt(), sampling,
                steering, Introspection.none(), Priority.INTERACTIVE, request.tools());
        PrimaryTap tap = shadow.mirror(new MirrorRequest(tenant.name(), profile, serving, runtime, generation, servedSteered,
                arm.gated() ? 1.0 : governor.sampleRate(profile, tenant.name()),
                governor.shadowMaxTokens(profile, tenant.name())))
                .orElse(null);
        if (tap != null && !tap.introspection().isNone()) {
            // sampled on an introspectable runtime: the primary also reports its activations to the shadow
            generation = new GenerationRequest(requestId, request.prompt(), sampling, steering,
                    tap.introspection(), Priority.INTERACTIVE, request.tools());
        }
        if (!request.stream() && tap == null && !request.sampling().logprobs()) {
            // nothing downstream counts tokens: the runtime may hand over the answer in one piece,
            // which a remote upstream sends as one JSON body (cheaper than a stream on both sides)
            generation = generation.withDelivery(Delivery.WHOLE);
        }
        AnswerFormat format = valid.answer().create(requestId, System.currentTimeMillis() / 1000);
        GenerationResponder responder = new GenerationResponder(Vertx.currentContext(), rc.response(), format,
                request.stream(), request.sampling().logprobs(), request.model(),
                new RequestListener(metrics, finalTags, start, request.model(), tap));
        if (servedSteered) {
            // a block taken while this answer runs ends it (SteeredStreams), routed answers included
            responder.onDone(steered.track(profile, tenant.name(), responder));
        }
        serving.generate(generation).subscribe().withSubscriber(responder);
    }

    private void reject(RoutingContext rc, RequestTags tags, long start, OpenAiError error) {
        rc.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(error.toJson());
        metrics.requestFinished(tags.withProfile(tags.profile(), "rejected"), error.status(),
                System.nanoTime() - start);
    }

    /** The client's id when it is safe to echo and log, else a fresh random one. */
    static String requestId(String fromClient) {
        if (fromClient != null && CLIENT_REQUEST_ID.matcher(fromClient).matches()) {
            return fromClient;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
