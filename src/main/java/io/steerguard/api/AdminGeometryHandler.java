package io.steerguard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.GeometryAudits;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code GET /admin/profiles/{name}/geometry}: the geometry audit of a profile's vectors against
 * the refusal direction stored beside its embedded model - per steered layer the cosine, the norm
 * relative to the mean residual norm, and a verdict band. 404 for an unknown profile, 409 while
 * the audit is impossible (no refusal direction yet, remote runtime). The audit runs the model,
 * so it is computed on a worker thread and cached until the configuration or the file changes.
 */
@ApplicationScoped
public class AdminGeometryHandler {

    private final GeometryAudits audits;
    private final GatewayStateManager states;
    private final Vertx vertx;

    public AdminGeometryHandler(GeometryAudits audits, GatewayStateManager states, Vertx vertx) {
        this.audits = audits;
        this.states = states;
        this.vertx = vertx;
    }

    void geometry(RoutingContext rc) {
        String name = rc.pathParam("name");
        GatewayState state = states.current();
        vertx.<GeometryAudits.Outcome>executeBlocking(() -> audits.audit(state, name), false).onComplete(result -> {
            if (result.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
                return;
            }
            GeometryAudits.Outcome outcome = result.result();
            if (outcome instanceof GeometryAudits.Outcome.UnknownProfile) {
                AdminHandler.send(rc, OpenAiError.profileNotFound(name));
            } else if (outcome instanceof GeometryAudits.Outcome.Unavailable unavailable) {
                AdminHandler.send(rc, new OpenAiError(409, unavailable.message(), "invalid_request_error", "name",
                        "geometry_unavailable"));
            } else {
                GeometryAudits.Outcome.Ready ready = (GeometryAudits.Outcome.Ready) outcome;
                ObjectNode body = ready.report().toJson();
                body.put("profile", name);
                body.put("runtime", ready.runtime());
                body.put("model", ready.model().toString());
                body.put("computedAt", ready.computedAt().toString());
                rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.toString());
            }
        });
    }
}
