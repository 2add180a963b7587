package io.steerguard.api;

import io.steerguard.config.ServingModeConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Registers the HTTP surface on Quarkus' Vert.x router: plain routes (no JAX-RS layer) so the
 * hot path is a handful of event-loop callbacks. Errors under {@code /v1} and {@code /admin} are
 * OpenAI error JSON, including the 413 of the body limit and unknown paths.
 */
@ApplicationScoped
public class Routes {

    private final GenerationHandler generation;
    private final ModelsHandler models;
    private final AdminHandler admin;
    private final AdminProfilesHandler profiles;
    private final AdminAuditHandler audits;
    private final AdminGeometryHandler geometry;
    private final ApiConfig api;
    private final ServingModeConfig mode;
    private final RuntimeModeHandler runtimeMode;
    private final RequestAdmission admission;
    /** The review queue and recalibration endpoints under {@code /admin/review}. */
    @jakarta.inject.Inject
    AdminReviewHandler review;
    /** The rollout view and decisions under {@code /admin/rollouts}. */
    @jakarta.inject.Inject
    AdminRolloutsHandler rollouts;
    /** Further APIs on the same pipeline (the Responses API); each brings its parser and answer format. */
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<Dialect> dialects;

    public Routes(GenerationHandler generation, ModelsHandler models, AdminHandler admin,
                  AdminProfilesHandler profiles, AdminAuditHandler audits, AdminGeometryHandler geometry,
                  ApiConfig api, ServingModeConfig mode, RuntimeModeHandler runtimeMode, RequestAdmission admission) {
        this.admission = admission;
        this.generation = generation;
        this.models = models;
        this.admin = admin;
        this.profiles = profiles;
        this.audits = audits;
        this.geometry = geometry;
        this.api = api;
        this.mode = mode;
        this.runtimeMode = runtimeMode;
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(api.maxBodyBytes());
        if (mode.runtimeMode()) {
            registerRuntimeMode(router, body);
            return;
        }
        // The key is checked on the headers, by a route of its own ahead of the body handler's (Vert.x
        // wants a body handler first on its route), before up to maxBodyBytes of body are read.
        router.post("/v1/chat/completions").handler(rc -> admission.admit(rc, Operation.CHAT));
        router.post("/v1/completions").handler(rc -> admission.admit(rc, Operation.TEXT_COMPLETION));
        router.post("/v1/chat/completions").handler(body).handler(rc -> generation.handle(rc, Operation.CHAT));
        router.post("/v1/completions").handler(body).handler(rc -> generation.handle(rc, Operation.TEXT_COMPLETION));
        for (Dialect d : dialects) {
            router.post(d.path()).handler(rc -> admission.admit(rc, d.operation()));
            router.post(d.path()).handler(body).handler(rc -> generation.handle(rc, d));
        }
        // Metrics and health are served on the management interface only.
        router.route("/q/*").handler(this::unknownEndpoint);
        router.get("/v1/models").handler(models::handle);
        router.route("/v1/*").handler(this::unknownEndpoint).failureHandler(this::failure);

        router.route("/admin/*").handler(admin::authenticate).failureHandler(this::failure);
        router.get("/admin/config").handler(admin::config);
        router.post("/admin/config/reload").handler(admin::reload);
        router.get("/admin/profiles").handler(profiles::list);
        router.get("/admin/profiles/:name/safety").handler(profiles::safety);
        router.get("/admin/profiles/:name/explain").handler(profiles::explain);
        router.get("/admin/profiles/:name/geometry").handler(geometry::geometry);
        router.post("/admin/profiles/:name/block").handler(body).handler(profiles::block);
        router.post("/admin/profiles/:name/unblock").handler(body).handler(profiles::unblock);
        router.post("/admin/profiles/:name/audit").handler(audits::start);
        router.get("/admin/profiles/:name/audit").handler(audits::report);
        router.get("/admin/audit-log").handler(profiles::auditLog);
        router.post("/admin/classify").handler(body).handler(profiles::classify);
        review.register(router, body);
        rollouts.register(router, body);
        router.route("/admin/*").handler(this::unknownEndpoint);
    }

    /** Runtime mode: only the model API, with EasySteer steering per request; no admin API. */
    private void registerRuntimeMode(Router router, BodyHandler body) {
        router.post("/v1/chat/completions").handler(body).handler(rc -> runtimeMode.generate(rc, Operation.CHAT));
        router.post("/v1/completions").handler(body)
                .handler(rc -> runtimeMode.generate(rc, Operation.TEXT_COMPLETION));
        router.get("/v1/models").handler(runtimeMode::models);
        router.route("/v1/*").handler(this::unknownEndpoint).failureHandler(this::failure);
    }

    private void unknownEndpoint(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean known = java.util.Set.of("/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/models", "/admin/config",
                "/admin/config/reload", "/admin/profiles", "/admin/audit-log", "/admin/classify").contains(path)
                || path.matches("/admin/profiles/[^/]+/(safety|explain|geometry|block|unblock|audit)")
                || AdminReviewHandler.serves(path) || AdminRolloutsHandler.serves(path);
        AdminHandler.send(rc, known ? OpenAiError.methodNotAllowed(rc.request().method().name(), path)
                : OpenAiError.notFound(path));
    }

    private void failure(RoutingContext rc) {
        if (rc.response().ended()) {
            return;
        }
        if (rc.statusCode() == 413) {
            AdminHandler.send(rc, OpenAiError.bodyTooLarge(api.maxBodyBytes()));
        } else if (rc.statusCode() == 400) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("The request could not be read.", null));
        } else {
            AdminHandler.send(rc, OpenAiError.internal());
        }
    }
}
