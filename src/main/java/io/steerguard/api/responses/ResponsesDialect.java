package io.steerguard.api.responses;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.api.ApiConfig;
import io.steerguard.api.Dialect;
import io.steerguard.api.Operation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/responses}: the OpenAI Responses API, stateless subset, served by the same
 * pipeline as chat completions (tenants, profiles, policies, shadow, metrics); only the request
 * parser and the answer's format are its own.
 */
@ApplicationScoped
public class ResponsesDialect implements Dialect {

    private final ResponsesParser parser;

    public ResponsesDialect(ObjectMapper mapper, ApiConfig api) {
        this.parser = new ResponsesParser(mapper, api.defaultMaxTokens(), api.maxTokensLimit());
    }

    @Override
    public String path() {
        return "/v1/responses";
    }

    @Override
    public Operation operation() {
        return Operation.RESPONSES;
    }

    @Override
    public Parsed parse(byte[] body) {
        ResponsesParser.Result result = parser.parse(body);
        if (result instanceof ResponsesParser.Result.Invalid invalid) {
            return new Parsed.Invalid(invalid.error());
        }
        ResponsesRequest request = ((ResponsesParser.Result.Valid) result).request();
        return new Parsed.Valid(request.completion(), (requestId, created) -> new ResponsesFormat(request, requestId,
                created));
    }
}
