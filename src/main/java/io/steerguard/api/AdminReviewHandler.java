package io.steerguard.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.review.CalibrationOutcome;
import io.steerguard.review.LabelOutcome;
import io.steerguard.review.LabelRequest;
import io.steerguard.review.ReviewConfig;
import io.steerguard.review.ReviewItem;
import io.steerguard.review.ReviewLabel;
import io.steerguard.review.ReviewQueue;
import io.steerguard.review.ReviewService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Validation on the operator's own traffic: {@code GET /admin/review} (answers waiting for a label),
 * {@code POST /admin/review/labels}, {@code GET /admin/review/calibration} (the version in force and
 * its audit history), {@code POST /admin/review/recalibrate} and
 * {@code POST /admin/review/calibration/rollback}. Everything that touches the queue's lock or the
 * disk runs on a worker thread.
 */
@ApplicationScoped
public class AdminReviewHandler {

    private static final Logger LOG = Logger.getLogger(AdminReviewHandler.class);
    /** Largest page of {@code GET /admin/review}. */
    static final int MAX_PAGE = 200;
    private static final Pattern ID = Pattern.compile("rv_[0-9a-f]{20}");

    private final ReviewService review;
    private final ReviewConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public AdminReviewHandler(ReviewService review, ReviewConfig config, ObjectMapper mapper, Vertx vertx) {
        this.review = review;
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    /** The paths this handler serves (for the router's 405 answers). */
    static boolean serves(String path) {
        return path.equals("/admin/review") || path.equals("/admin/review/labels") || path.equals("/admin/review/calibration")
                || path.equals("/admin/review/recalibrate") || path.equals("/admin/review/calibration/rollback");
    }

    void register(Router router, BodyHandler body) {
        router.get("/admin/review").handler(this::list);
        router.post("/admin/review/labels").handler(body).handler(this::label);
        router.get("/admin/review/calibration").handler(this::calibration);
        router.post("/admin/review/recalibrate").handler(body).handler(this::recalibrate);
        router.post("/admin/review/calibration/rollback").handler(body).handler(this::rollback);
    }

    /** {@code GET /admin/review?limit=50&after=<cursor>&tenant=&profile=}. */
    void list(RoutingContext rc) {
        Integer limit = intParam(rc, "limit", 50, 1, MAX_PAGE);
        Integer after = limit == null ? null : intParam(rc, "after", 0, 0, Integer.MAX_VALUE);
        if (after == null) {
            return;
        }
        String tenant = rc.queryParams().get("tenant");
        String profile = rc.queryParams().get("profile");
        Predicate<ReviewItem> filter = i -> (tenant == null || i.tenant().equals(tenant))
                && (profile == null || i.profile().equals(profile));
        // the queue's lock and the label store are taken off the event loop
        vertx.<Map<String, Object>>executeBlocking(() -> {
            ReviewQueue.Page page = review.pending(after, limit, filter);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.items().stream().map(ReviewJson::item).toList());
            body.put("next", page.next() < 0 ? null : Long.toString(page.next()));
            body.put("queued", review.queued());
            body.put("capacity", review.capacity());
            body.put("labelled", review.labelled());
            body.put("agreement", review.agreement().stream().map(ReviewJson::agreement).toList());
            return body;
        }, false).onComplete(r -> {
            if (r.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
            } else {
                AdminHandler.json(rc, mapper, 200, r.result());
            }
        });
    }

    /** {@code POST /admin/review/labels} with {@code {"labels": [{"id", "label", "reviewer"}]}} or one such object. */
    void label(RoutingContext rc) {
        JsonNode body = body(rc);
        if (body == null) {
            return;
        }
        JsonNode array = body.has("labels") ? body.get("labels") : null;
        if (array == null && body.has("id")) {
            array = mapper.createArrayNode().add(body);
        }
        int max = config.maxLabelsPerRequest();
        if (array == null || !array.isArray() || array.isEmpty() || array.size() > max) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("Send {\"labels\": [{\"id\": ..., \"label\": \"refusal\" or "
                    + "\"compliance\", \"reviewer\": ...}]} with 1 to " + max + " labels.", "labels"));
            return;
        }
        List<LabelRequest> requests = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "labels[" + i + "]";
            JsonNode item = array.get(i);
            String id = item.path("id").isTextual() ? item.get("id").asText() : null;
            if (id == null || !ID.matcher(id).matches()) {
                AdminHandler.send(rc, OpenAiError.invalidRequest(at + ".id must be a review item id as GET /admin/review "
                        + "lists them (rv_ and 20 hex digits).", at + ".id"));
                return;
            }
            var label = item.path("label").isTextual() ? ReviewLabel.parse(item.get("label").asText()) : java.util.Optional.<ReviewLabel>empty();
            if (label.isEmpty()) {
                AdminHandler.send(rc, OpenAiError.invalidRequest(at + ".label must be \"refusal\" or \"compliance\".",
                        at + ".label"));
                return;
            }
            String reviewer = actor(rc, item, at + ".reviewer");
            if (reviewer == null) {
                return;
            }
            requests.add(new LabelRequest(id, label.get(), reviewer));
        }
        vertx.<LabelOutcome>executeBlocking(() -> review.label(requests), false).onComplete(r -> {
            if (r.failed()) {
                AdminHandler.send(rc, OpenAiError.internal());
            } else if (r.result() instanceof LabelOutcome.UnknownId u) {
                AdminHandler.send(rc, new OpenAiError(404, "labels[" + u.index() + "].id '" + u.id() + "' is neither "
                        + "waiting for review nor labelled; no label of this request was applied.",
                        "invalid_request_error", "labels[" + u.index() + "].id", "review_item_not_found"));
            } else if (r.result() instanceof LabelOutcome.NotPersisted n) {
                AdminHandler.send(rc, new OpenAiError(503, "The labels were not written to disk, so none was applied: "
                        + n.message(), "server_error", null, "labels_not_persisted"));
            } else {
                List<Map<String, Object>> results = new ArrayList<>();
                for (LabelOutcome.Result res : ((LabelOutcome.Applied) r.result()).results()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", res.id());
                    m.put("label", res.label().id());
                    m.put("previous", res.previous() == null ? null : res.previous().id());
                    m.put("changed", res.changed());
                    results.add(m);
                }
                AdminHandler.json(rc, mapper, 200, Map.of("results", results));
            }
        });
    }

    /** {@code GET /admin/review/calibration}. */
    void calibration(RoutingContext rc) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("learnedTier", review.learned().isPresent());
        review.calibrations().ifPresentOrElse(c -> {
            body.put("inForce", ReviewJson.version(c.current()));
            body.put("shipped", ReviewJson.version(c.shipped()));
            body.put("history", c.history().stream().map(ReviewJson::version).toList());
            body.put("damage", c.damage().orElse(null));
        }, () -> body.put("damage", "the calibration log could not be opened at start-up; the shipped calibration "
                + "is in force (see the gateway log)"));
        body.put("minLabels", review.settings().minLabels());
        body.put("minPerClass", review.settings().minPerClass());
        body.put("agreement", review.agreement().stream().map(ReviewJson::agreement).toList());
        AdminHandler.json(rc, mapper, 200, body);
    }

    /** {@code POST /admin/review/recalibrate} with {@code {"reviewer", "reason"}}. */
    void recalibrate(RoutingContext rc) {
        JsonNode body = body(rc);
        String actor = body == null ? null : actor(rc, body, "reviewer");
        String reason = actor == null ? null : reason(rc, body);
        if (reason != null) {
            vertx.<CalibrationOutcome>executeBlocking(() -> review.recalibrate(actor, reason), false)
                    .onComplete(r -> answer(rc, r.succeeded() ? r.result() : null));
        }
    }

    /** {@code POST /admin/review/calibration/rollback} with {@code {"version", "reviewer", "reason"}}. */
    void rollback(RoutingContext rc) {
        JsonNode body = body(rc);
        if (body == null) {
            return;
        }
        JsonNode v = body.get("version");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'version' must be a calibration version (an integer, "
                    + "0 for the shipped calibration).", "version"));
            return;
        }
        String actor = actor(rc, body, "reviewer");
        String reason = actor == null ? null : reason(rc, body);
        if (reason != null) {
            vertx.<CalibrationOutcome>executeBlocking(() -> review.rollback(v.asInt(), actor, reason), false)
                    .onComplete(r -> answer(rc, r.succeeded() ? r.result() : null));
        }
    }

    private void answer(RoutingContext rc, CalibrationOutcome outcome) {
        if (outcome instanceof CalibrationOutcome.Changed c) {
            LOG.infof("classifier calibration version %d (%s by %s, a = %.4f, b = %.4f): %s", c.version().version(),
                    c.version().action().id(), LogText.escape(c.version().actor()), c.version().platt().a(),
                    c.version().platt().b(), LogText.escape(c.version().reason()));
            AdminHandler.json(rc, mapper, 200, ReviewJson.version(c.version()));
        } else if (outcome instanceof CalibrationOutcome.TooFewLabels t) {
            AdminHandler.send(rc, new OpenAiError(422, "Recalibration needs at least " + t.minLabels() + " labelled "
                    + "answers the learned tier scored, with at least " + t.minPerClass() + " refusals and "
                    + t.minPerClass() + " compliant answers; there are " + t.labels() + " (" + t.refusals()
                    + " refusals, " + t.compliant() + " compliant). Nothing changed.", "invalid_request_error", null,
                    "insufficient_labels"));
        } else if (outcome instanceof CalibrationOutcome.NoLearnedTier) {
            AdminHandler.send(rc, new OpenAiError(409, "The learned tier is not among steerguard.classifier.tiers, "
                    + "so there is no calibration to change.", "invalid_request_error", null, "learned_tier_not_configured"));
        } else if (outcome instanceof CalibrationOutcome.UnknownVersion u) {
            AdminHandler.send(rc, new OpenAiError(404, "No calibration version " + u.version() + "; versions run from 0 "
                    + "(shipped) to " + u.latest() + ".", "invalid_request_error", "version", "calibration_version_not_found"));
        } else if (outcome instanceof CalibrationOutcome.Unavailable u) {
            AdminHandler.send(rc, new OpenAiError(503, "The calibration was not written, so nothing changed: "
                    + u.message(), "server_error", null, "calibration_not_persisted"));
        } else {
            AdminHandler.send(rc, OpenAiError.internal());
        }
    }

    private JsonNode body(RoutingContext rc) {
        try {
            JsonNode body = mapper.readTree(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        AdminHandler.send(rc, OpenAiError.invalidRequest("The request body must be a JSON object.", null));
        return null;
    }

    /** A non-blank name of at most {@code maxReviewerChars}, written to the audit trail as one line. */
    private String actor(RoutingContext rc, JsonNode node, String param) {
        JsonNode n = node.get(param.substring(param.lastIndexOf('.') + 1));
        int max = config.maxReviewerChars();
        if (n == null || !n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            AdminHandler.send(rc, OpenAiError.invalidRequest(param + " must be a non-empty string of at most " + max
                    + " characters naming who decided; it goes into the audit trail.", param));
            return null;
        }
        return LogText.escape(n.asText());
    }

    private static String reason(RoutingContext rc, JsonNode body) {
        JsonNode n = body.get("reason");
        if (n == null || !n.isTextual() || n.asText().isBlank() || n.asText().length() > AdminProfilesHandler.MAX_REASON_CHARS) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'reason' must be a non-empty string of at most "
                    + AdminProfilesHandler.MAX_REASON_CHARS + " characters; it goes into the audit trail.", "reason"));
            return null;
        }
        return LogText.escape(n.asText());
    }

    private static Integer intParam(RoutingContext rc, String name, int fallback, int min, int max) {
        String raw = rc.queryParams().get(name);
        int value;
        try {
            value = raw == null ? fallback : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            AdminHandler.send(rc, OpenAiError.invalidRequest("'" + name + "' must be an integer within [" + min + ", "
                    + max + "].", name));
            return null;
        }
        return value;
    }
}
