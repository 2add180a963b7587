package io.steerguard.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.gateway.AuditStart;
import io.steerguard.gateway.ProbeScheduler;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.shadow.ProbeRun;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probe audits on demand: {@code POST /admin/profiles/{name}/audit} starts one (202 with its run
 * id; 409 while one runs; 422 when the policy's probe file is broken) and
 * {@code GET /admin/profiles/{name}/audit} shows the audit in progress and the latest report.
 * Starting reads the probe file, so it runs on a worker thread.
 */
@ApplicationScoped
public class AdminAuditHandler {

    private final ProbeScheduler probes;
    private final SafetyGovernor governor;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public AdminAuditHandler(ProbeScheduler probes, SafetyGovernor governor, ObjectMapper mapper, Vertx vertx) {
        this.probes = probes;
        this.governor = governor;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    /** {@code POST /admin/profiles/{name}/audit}. */
    void start(RoutingContext rc) {
        String profile = profile(rc);
        if (profile == null) {
            return;
        }
        vertx.<AuditStart>executeBlocking(() -> probes.audit(profile, "admin"), false).onComplete(result -> {
            if (result.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
                return;
            }
            AuditStart start = result.result();
            if (start instanceof AuditStart.Started s) {
                Map<String, Object> body = running(s.run());
                body.put("policy", s.job().policy());
                body.put("probeSet", s.job().probes().source());
                body.put("probes", s.job().probes().size());
                body.put("attacks", s.job().attacks());
                rc.response().putHeader("Location", "/admin/profiles/" + profile + "/audit");
                json(rc, 202, body);
            } else if (start instanceof AuditStart.AlreadyRunning r) {
                AdminHandler.send(rc, new OpenAiError(409, "A probe audit of profile '" + profile + "' is already "
                        + "running (run " + r.run().id() + ", " + r.run().answered() + " of " + r.run().pairs()
                        + " pairs answered).", "invalid_request_error", "name", "audit_running"));
            } else {
                AdminHandler.send(rc, new OpenAiError(422, "The probe audit of profile '" + profile + "' cannot "
                        + "start: " + ((AuditStart.Unavailable) start).reason(), "invalid_request_error", "name",
                        "audit_unavailable"));
            }
        });
    }

    /** {@code GET /admin/profiles/{name}/audit}: {@code running} (or null), {@code latest} report (or null), {@code lastFailure}. */
    void report(RoutingContext rc) {
        String profile = profile(rc);
        if (profile == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("profile", profile);
        body.put("running", probes.running(profile).map(AdminAuditHandler::running).orElse(null));
        body.put("latest", probes.latest(profile).map(r -> r.toMap()).orElse(null));
        body.put("lastFailure", probes.lastFailure(profile).orElse(null));
        json(rc, 200, body);
    }

    private static Map<String, Object> running(ProbeRun run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", run.id());
        m.put("profile", run.profile());
        m.put("trigger", run.trigger());
        m.put("submitted", run.submitted().toString());
        m.put("pairs", run.pairs());
        m.put("answered", run.answered());
        return m;
    }

    private String profile(RoutingContext rc) {
        return AdminHandler.knownProfile(rc, governor);
    }

    private void json(RoutingContext rc, int status, Object body) {
        AdminHandler.json(rc, mapper, status, body);
    }
}
