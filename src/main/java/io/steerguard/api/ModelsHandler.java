package io.steerguard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.tenant.ApiKeys;
import io.steerguard.tenant.Tenant;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code GET /v1/models}: the models the calling tenant may use, in OpenAI's list shape, with a
 * {@code steerguard} extension naming the default and selectable steering profiles.
 */
@ApplicationScoped
public class ModelsHandler {

    /** Emoji and other non-BMP characters go out as UTF-8 bytes, not as escaped surrogate pairs. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private final GatewayStateManager states;

    public ModelsHandler(GatewayStateManager states) {
        this.states = states;
    }

    void handle(RoutingContext rc) {
        GatewayState state = states.current();
        Tenant tenant = state.tenants().authenticate(ApiKeys.bearerToken(rc.request().getHeader("Authorization")))
                .orElse(null);
        if (tenant == null) {
            OpenAiError error = OpenAiError.invalidApiKey();
            rc.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
                    .end(error.toJson());
            return;
        }
        rc.response().putHeader("Content-Type", "application/json")
                .end(body(new TreeMap<>(tenant.models()), state.appliedAt().getEpochSecond()));
    }

    private static Buffer body(Map<String, Tenant.ModelAccess> models, long created) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (Map.Entry<String, Tenant.ModelAccess> m : models.entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", m.getKey());
                g.writeStringField("object", "model");
                g.writeNumberField("created", created);
                g.writeStringField("owned_by", "steerguard");
                g.writeObjectFieldStart("steerguard");
                g.writeStringField("defaultProfile", m.getValue().defaultProfile());
                g.writeArrayFieldStart("allowedProfiles");
                for (String p : new java.util.TreeSet<>(m.getValue().allowedProfiles())) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
