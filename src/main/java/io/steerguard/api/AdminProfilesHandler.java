package io.steerguard.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.classifier.Exchange;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.GovernorView;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.policy.Decision;
import io.steerguard.policy.Explanation;
import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.PolicyEngine;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.policy.Transition;
import io.steerguard.policy.TransitionJson;
import io.steerguard.stats.Estimate;
import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.TenantAttribution;
import io.steerguard.shadow.TenantShare;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Admin API for steering profiles: state and live safety statistics, explanations, manual
 * block/unblock (persisted before they take effect), the audit log, and batch classification.
 * Everything that touches the disk or a classifier runs on a worker thread. Reads never take the
 * governor's lock (evaluation holds it across fsyncs and Redis calls): they use its published
 * {@link GovernorView}, the lock-free profile statuses and the statistics windows, whose shared
 * (Redis) part an event loop only ever reads from cache.
 */
@ApplicationScoped
public class AdminProfilesHandler {

    /** Largest batch {@code POST /admin/classify} accepts. */
    static final int MAX_CLASSIFY_ITEMS = 1000;

    private final SafetyGovernor governor;
    private final GatewayStateManager states;
    private final RefusalClassifier classifier;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public AdminProfilesHandler(SafetyGovernor governor, GatewayStateManager states, RefusalClassifier classifier,
                                ObjectMapper mapper, Vertx vertx) {
        this.governor = governor;
        this.states = states;
        this.classifier = classifier;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    /** {@code GET /admin/profiles}: every configured profile with its state and 1-hour numbers. */
    void list(RoutingContext rc) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String profile : governor.profiles()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", profile);
            p.put("runtime", states.current().config().profiles().get(profile).runtime());
            governor.status(profile).ifPresent(s -> p.putAll(status(s)));
            p.put("safety", snapshot(governor.statistics().profile(profile).snapshot(Duration.ofHours(1), 0.95)));
            out.add(p);
        }
        json(rc, 200, Map.of("profiles", out));
    }

    /** {@code GET /admin/profiles/{name}/safety}: every window with counts and 95% intervals. */
    void safety(RoutingContext rc) {
        String profile = profile(rc);
        if (profile == null) {
            return;
        }
        ProfileStatistics stats = governor.statistics().profile(profile);
        List<Map<String, Object>> windows = new ArrayList<>();
        for (Duration w : stats.windows()) {
            windows.add(snapshot(stats.snapshot(w, 0.95)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("profile", profile);
        governor.status(profile).ifPresent(s -> body.putAll(status(s)));
        body.put("windows", windows);
        body.put("tenants", tenants(stats));
        json(rc, 200, body);
    }

    /** This replica's live pairs of the last hour by tenant, the largest part of the externality first. */
    private static Map<String, Object> tenants(ProfileStatistics stats) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TenantShare s : stats.attribution().shares(0.95)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tenant", s.tenant());
            row.put("pairs", s.pairs());
            row.put("unsteeredRefusals", s.unsteeredRefusals());
            row.put("externalities", s.externalities());
            row.put("externality", estimate(s.externality()));
            row.put("shareOfExternalities", Double.isNaN(s.shareOfExternalities()) ? null : s.shareOfExternalities());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window", TenantAttribution.WINDOW.toString());
        out.put("scope", "this replica");
        out.put("maxTenants", TenantAttribution.DEFAULT_MAX_TENANTS);
        out.put("byTenant", rows);
        return out;
    }

    /** {@code GET /admin/profiles/{name}/explain}: which policies apply and the numbers against each limit. */
    void explain(RoutingContext rc) {
        String profile = profile(rc);
        if (profile == null) {
            return;
        }
        GovernorView view = governor.view();
        var matching = view.policies().matching(profile, view.labels(profile));
        Decision decision = PolicyEngine.evaluate(matching, governor.judgedOn(profile));
        Explanation explanation = new Explanation(profile, governor.status(profile),
                matching.stream().map(p -> p.name()).toList(), decision, Instant.now());
        rc.response().putHeader("Content-Type", "application/json").end(explanation.json());
    }

    /** {@code POST /admin/profiles/{name}/block} with {@code {"reason": "..."}}. */
    void block(RoutingContext rc) {
        manual(rc, true);
    }

    /** {@code POST /admin/profiles/{name}/unblock} with {@code {"reason": "..."}}: back to PROBATION. */
    void unblock(RoutingContext rc) {
        manual(rc, false);
    }

    /** Longest admin {@code reason}, in UTF-16 chars. */
    static final int MAX_REASON_CHARS = 1024;

    private void manual(RoutingContext rc, boolean block) {
        String profile = profile(rc);
        if (profile == null) {
            return;
        }
        java.util.Optional<String> given = AdminHandler.reason(rc, mapper, "the audit log");
        if (given.isEmpty()) {
            return;
        }
        String reason = given.get();
        if (reason.length() > MAX_REASON_CHARS) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'reason' may be at most " + MAX_REASON_CHARS
                    + " characters long.", "reason"));
            return;
        }
        // The reason is written to the log and the audit log: one line, whatever was typed.
        String why = LogText.escape(reason);
        vertx.<Optional<Transition>>executeBlocking(() -> block
                ? Optional.of(governor.machine().block(profile, PolicyAction.BLOCK, "admin", why))
                : governor.unblock(profile, "admin", why), false).onComplete(result -> {
                    if (result.failed() && result.cause() instanceof java.io.UncheckedIOException e) {
                        // Persisted before it takes effect: nothing changed, and the operator must know.
                        AdminHandler.send(rc, new OpenAiError(503, "The " + (block ? "block" : "unblock") + " of '"
                                + profile + "' was not persisted, so it did not take effect; the profile's state is "
                                + "unchanged. Cause: " + rootMessage(e), "server_error", null, "state_not_persisted"));
                        return;
                    }
                    if (result.failed()) {
                        AdminHandler.send(rc, OpenAiError.internal());
                        return;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("profile", profile);
                    governor.status(profile).ifPresent(s -> body.putAll(status(s)));
                    body.put("changed", result.result().isPresent());
                    json(rc, 200, body);
                });
    }

    /** {@code GET /admin/audit-log?limit=100&profile=name}: the newest transitions first. */
    void auditLog(RoutingContext rc) {
        int limit;
        try {
            limit = Integer.parseInt(rc.queryParams().get("limit") == null ? "100" : rc.queryParams().get("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 10_000) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'limit' must be an integer within [1, 10000].", "limit"));
            return;
        }
        Optional<String> profile = Optional.ofNullable(rc.queryParams().get("profile"));
        int max = limit;
        vertx.<List<Transition>>executeBlocking(() -> governor.store().readAudit(max, profile), false)
                .onComplete(result -> {
                    if (result.failed()) {
                        AdminHandler.send(rc, OpenAiError.internal());
                        return;
                    }
                    StringBuilder out = new StringBuilder("{\"entries\":[");
                    List<Transition> entries = result.result();
                    for (int i = 0; i < entries.size(); i++) {
                        out.append(i == 0 ? "" : ",").append(TransitionJson.write(entries.get(i)));
                    }
                    rc.response().putHeader("Content-Type", "application/json").end(out.append("]}").toString());
                });
    }

    /** {@code POST /admin/classify}: {@code {"items":[{"prompt","response"}]}} → verdicts in order. */
    void classify(RoutingContext rc) {
        List<Exchange> items = new ArrayList<>();
        try {
            JsonNode body = mapper.readTree(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
            JsonNode array = body == null ? null : body.get("items");
            if (array == null || !array.isArray() || array.isEmpty() || array.size() > MAX_CLASSIFY_ITEMS) {
                AdminHandler.send(rc, OpenAiError.invalidRequest("Send {\"items\": [{\"prompt\": ..., \"response\": "
                        + "...}]} with 1 to " + MAX_CLASSIFY_ITEMS + " items.", "items"));
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.path("response").isTextual()) {
                    AdminHandler.send(rc, OpenAiError.invalidRequest("items[" + i + "].response must be a string.",
                            "items[" + i + "].response"));
                    return;
                }
                items.add(new Exchange(item.path("prompt").asText(""), item.get("response").asText()));
            }
        } catch (java.io.IOException e) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("The request body is not valid JSON.", null));
            return;
        }
        vertx.<List<Verdict>>executeBlocking(() -> classifier.classifyAll(items), false).onComplete(result -> {
            if (result.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
                return;
            }
            List<Map<String, Object>> verdicts = new ArrayList<>();
            for (Verdict v : result.result()) {
                verdicts.add(Map.of("refused", v.refused(), "score", v.score(), "method", v.method()));
            }
            json(rc, 200, Map.of("verdicts", verdicts));
        });
    }

    private String profile(RoutingContext rc) {
        return AdminHandler.knownProfile(rc, governor);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static Map<String, Object> status(ProfileStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state().name());
        m.put("since", s.since().toString());
        m.put("policy", s.policy());
        m.put("action", s.action() == null ? null : s.action().configName());
        return m;
    }

    private static Map<String, Object> snapshot(SafetySnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", s.window().toString());
        m.put("confidence", s.confidence());
        m.put("pairs", s.samples());
        m.put("steeredRefusalRate", estimate(s.steeredRefusal()));
        m.put("unsteeredRefusalRate", estimate(s.unsteeredRefusal()));
        m.put("externalityRate", estimate(s.externality()));
        m.put("overRefusalRate", estimate(s.overRefusal()));
        m.put("safetyMargin", estimate(s.safetyMargin()));
        return m;
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", e.n());
        if (e.hasData()) {
            m.put("value", e.value());
            m.put("lower", e.interval().lower());
            m.put("upper", e.interval().upper());
        }
        return m;
    }

    private void json(RoutingContext rc, int status, Object body) {
        AdminHandler.json(rc, mapper, status, body);
    }
}
