package io.steerguard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.config.ConfigDocument;
import io.steerguard.config.ConfigProblem;
import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.ReloadStatus;
import io.steerguard.tenant.ApiKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The admin API: guarded by its own key (only its SHA-256 is configured; tenant keys never pass),
 * compared in constant time.
 */
@ApplicationScoped
public class AdminHandler {

    private final AdminConfig config;
    private final GatewayStateManager states;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    /** The remote runtimes' conformance check, shown in {@code /admin/config}. */
    @jakarta.inject.Inject
    io.steerguard.gateway.RuntimeConformance conformance;

    public AdminHandler(AdminConfig config, GatewayStateManager states, ObjectMapper mapper, Vertx vertx) {
        this.config = config;
        this.states = states;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    /** Route filter for {@code /admin/*}. */
    void authenticate(RoutingContext rc) {
        String token = ApiKeys.bearerToken(rc.request().getHeader("Authorization"));
        String expected = config.apiKeySha256().orElse(null);
        if (expected == null) {
            send(rc, new OpenAiError(401, "The admin API is disabled: set steerguard.admin.api-key-sha256 "
                    + "(env STEERGUARD_ADMIN_API_KEY_SHA256) to the SHA-256 of an admin key.",
                    "invalid_request_error", null, "admin_disabled"));
        } else if (token == null || !ApiKeys.matches(token, expected.trim().toLowerCase(java.util.Locale.ROOT))) {
            send(rc, new OpenAiError(401, "Incorrect admin key.", "invalid_request_error", null, "invalid_api_key"));
        } else {
            rc.next();
        }
    }

    /** {@code GET /admin/config}: the configuration in force and the last reload attempt. */
    void config(RoutingContext rc) {
        GatewayState state = states.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fingerprint", state.config().fingerprint());
        body.put("appliedAt", state.appliedAt().toString());
        body.put("documents", state.config().documents().stream().map(AdminHandler::describe).toList());
        body.put("lastReload", describe(states.lastStatus()));
        body.put("runtimeConformance", conformance.snapshot());
        json(rc, 200, body);
    }

    /** {@code POST /admin/config/reload}: reload now (on a worker thread); 422 when the change is rejected. */
    void reload(RoutingContext rc) {
        vertx.<ReloadStatus>executeBlocking(states::reload, false).onComplete(result -> {
            if (result.failed()) {
                send(rc, OpenAiError.internal());
            } else {
                json(rc, result.result().applied() ? 200 : 422, describe(result.result()));
            }
        });
    }

    private static Map<String, Object> describe(ConfigDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", d.kind());
        m.put("name", d.name());
        m.put("source", d.location().toString());
        return m;
    }

    private static Map<String, Object> describe(ReloadStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s == null) {
            return m;
        }
        m.put("at", s.at().toString());
        m.put("applied", s.applied());
        m.put("fingerprint", s.fingerprint());
        List<Map<String, Object>> problems = s.problems().stream().map(AdminHandler::describe).toList();
        m.put("problems", problems);
        return m;
    }

    private static Map<String, Object> describe(ConfigProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("file", p.location().file().toString());
        m.put("line", p.location().line());
        m.put("column", p.location().column());
        m.put("field", p.fieldPath());
        m.put("message", p.message());
        return m;
    }

    private void json(RoutingContext rc, int status, Object body) {
        json(rc, mapper, status, body);
    }

    /** Answers with {@code body} as JSON, or a 500 in OpenAI's shape if it cannot be written. */
    static void json(RoutingContext rc, ObjectMapper mapper, int status, Object body) {
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            send(rc, OpenAiError.internal());
        }
    }

    /** The configured profile named by the {@code name} path parameter, or null after answering 404. */
    static String knownProfile(RoutingContext rc, io.steerguard.gateway.SafetyGovernor governor) {
        String name = rc.pathParam("name");
        if (name == null || !governor.profiles().contains(name)) {
            send(rc, OpenAiError.profileNotFound(name));
            return null;
        }
        return name;
    }

    /**
     * The non-blank {@code reason} of an admin action's JSON body, or empty (after answering 400)
     * when there is none; {@code recordedIn} names where the reason is kept, for the message.
     */
    static java.util.Optional<String> reason(RoutingContext rc, ObjectMapper mapper, String recordedIn) {
        String reason;
        try {
            com.fasterxml.jackson.databind.JsonNode body = mapper.readTree(
                    rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
            reason = body == null ? null : body.path("reason").asText(null);
        } catch (java.io.IOException e) {
            reason = null;
        }
        if (reason == null || reason.isBlank()) {
            send(rc, OpenAiError.invalidRequest("Send a JSON body with a non-empty 'reason'; it goes into "
                    + recordedIn + ".", "reason"));
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(reason);
    }

    static void send(RoutingContext rc, OpenAiError error) {
        rc.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(error.toJson());
    }
}
