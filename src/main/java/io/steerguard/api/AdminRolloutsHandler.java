package io.steerguard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.gateway.Rollouts;
import io.steerguard.policy.LimitEvaluation;
import io.steerguard.policy.Measurement;
import io.steerguard.policy.RolloutGate;
import io.steerguard.policy.RolloutKey;
import io.steerguard.policy.RolloutPhase;
import io.steerguard.policy.RolloutRecord;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rollout view under {@code /admin/rollouts} (behind the admin key, like every {@code /admin}
 * route): every configured rollout with its phase, the candidate's share now, the last decision and
 * the gate's latest verdict; the decision history; and an operator's promote, rollback and reset,
 * each persisted before it takes effect (503 {@code state_not_persisted} otherwise).
 */
@ApplicationScoped
public class AdminRolloutsHandler {

    private static final int MAX_HISTORY = 10_000;

    private final Rollouts rollouts;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public AdminRolloutsHandler(Rollouts rollouts, ObjectMapper mapper, Vertx vertx) {
        this.rollouts = rollouts;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    static boolean serves(String path) {
        return path.equals("/admin/rollouts") || path.equals("/admin/rollouts/history")
                || path.matches("/admin/rollouts/[^/]+/[^/]+/(promote|rollback|reset)");
    }

    void register(Router router, BodyHandler body) {
        router.get("/admin/rollouts").handler(this::list);
        router.get("/admin/rollouts/history").handler(this::history);
        router.post("/admin/rollouts/:tenant/:profile/promote").handler(body).handler(rc -> manual(rc, RolloutPhase.PROMOTED));
        router.post("/admin/rollouts/:tenant/:profile/rollback").handler(body).handler(rc -> manual(rc, RolloutPhase.ROLLED_BACK));
        router.post("/admin/rollouts/:tenant/:profile/reset").handler(body).handler(rc -> manual(rc, RolloutPhase.RUNNING));
    }

    /** {@code GET /admin/rollouts}. */
    void list(RoutingContext rc) {
        AdminHandler.json(rc, mapper, 200, Map.of("rollouts", rollouts.views().stream().map(AdminRolloutsHandler::view).toList()));
    }

    /** {@code GET /admin/rollouts/history?limit=100}: the newest decisions first. */
    void history(RoutingContext rc) {
        int limit;
        try {
            limit = Integer.parseInt(rc.queryParams().get("limit") == null ? "100" : rc.queryParams().get("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_HISTORY) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'limit' must be an integer from 1 to " + MAX_HISTORY + ".",
                    "limit"));
            return;
        }
        int max = limit;
        vertx.<List<RolloutRecord>>executeBlocking(() -> rollouts.history(max), false).onComplete(result -> {
            if (result.failed()) {
                AdminHandler.send(rc, new OpenAiError(503, "The rollout history could not be read: "
                        + result.cause().getMessage(), "server_error", null, "state_unavailable"));
                return;
            }
            AdminHandler.json(rc, mapper, 200, Map.of("entries", result.result().stream().map(AdminRolloutsHandler::record).toList()));
        });
    }

    private void manual(RoutingContext rc, RolloutPhase to) {
        java.util.Optional<String> given = AdminHandler.reason(rc, mapper, "the rollout history");
        if (given.isEmpty()) {
            return;
        }
        String reason = given.get();
        if (reason.length() > AdminProfilesHandler.MAX_REASON_CHARS) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'reason' may be at most "
                    + AdminProfilesHandler.MAX_REASON_CHARS + " characters long.", "reason"));
            return;
        }
        RolloutKey key = new RolloutKey(rc.pathParam("tenant"), rc.pathParam("profile"));
        String why = LogText.escape(reason);
        vertx.<Rollouts.Manual>executeBlocking(() -> rollouts.manual(key, to, "admin", why), false).onComplete(result -> {
            if (result.failed() && result.cause() instanceof java.io.UncheckedIOException e) {
                AdminHandler.send(rc, new OpenAiError(503, "The decision on rollout '" + key.id() + "' was not "
                        + "persisted, so it did not take effect. Cause: " + e.getMessage(), "server_error", null,
                        "state_not_persisted"));
            } else if (result.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
            } else if (result.result() instanceof Rollouts.Manual.NotConfigured) {
                AdminHandler.send(rc, new OpenAiError(404, "No rollout of profile '" + key.profile() + "' is configured "
                        + "for tenant '" + key.tenant() + "'.", "invalid_request_error", null, "rollout_not_found"));
            } else if (result.result() instanceof Rollouts.Manual.CandidateUnknown u) {
                AdminHandler.send(rc, new OpenAiError(409, "The candidate '" + u.candidate() + "' has no known state "
                        + "yet (not registered, or the state backend has not been read); try again shortly.",
                        "invalid_request_error", null, "rollout_not_ready"));
            } else {
                Rollouts.Manual.Done done = (Rollouts.Manual.Done) result.result();
                Map<String, Object> body = view(done.view());
                body.put("changed", done.changed());
                AdminHandler.json(rc, mapper, 200, body);
            }
        });
    }

    private static Map<String, Object> view(Rollouts.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", v.key().tenant());
        m.put("profile", v.key().profile());
        m.put("model", v.model());
        m.put("candidate", v.candidate());
        m.put("share", v.configuredShare());
        m.put("phase", v.phase().name());
        m.put("candidateShare", v.candidateShare());
        v.decision().ifPresent(d -> m.put("lastDecision", record(d)));
        v.lastVerdict().ifPresent(g -> m.put("gate", verdict(g)));
        return m;
    }

    private static Map<String, Object> verdict(RolloutGate.Verdict g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", g instanceof RolloutGate.Verdict.Promote ? "promote"
                : g instanceof RolloutGate.Verdict.RollBack ? "rollback" : "hold");
        m.put("reason", g.reason());
        m.put("limits", g.evaluations().stream().map(e -> measurement(Measurement.of(e), e)).toList());
        return m;
    }

    private static Map<String, Object> record(RolloutRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", r.time().toString());
        m.put("tenant", r.key().tenant());
        m.put("profile", r.key().profile());
        m.put("candidate", r.candidate());
        m.put("candidateFingerprint", r.candidateFingerprint());
        m.put("version", r.version());
        m.put("from", r.from().name());
        m.put("to", r.to().name());
        m.put("actor", r.actor());
        m.put("reason", r.reason());
        m.put("numbers", r.numbers().stream().map(n -> measurement(n, null)).toList());
        return m;
    }

    private static Map<String, Object> measurement(Measurement n, LimitEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit", n.limit());
        m.put("policy", n.policy());
        m.put("bound", n.bound());
        m.put("value", Double.isFinite(n.value()) ? n.value() : null);
        m.put("lower", n.lower());
        m.put("upper", n.upper());
        m.put("samples", n.samples());
        m.put("outcome", n.outcome().name());
        if (e != null) {
            m.put("cleared", RolloutGate.clears(e));
            m.put("confidence", e.rule().confidence());
            m.put("method", e.rule().method().configName());
            m.put("minSamples", e.rule().minSamples());
        }
        return m;
    }
}
