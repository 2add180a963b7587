package io.steerguard.api;

/** Chat completions and text completions: {@link RequestParser} in, {@link ResponseFormat} out. */
record CompletionsDialect(Operation operation, String path, RequestParser parser) implements Dialect {

    @Override
    public Parsed parse(byte[] body) {
        RequestParser.Result result = parser.parse(operation, body);
        if (result instanceof RequestParser.Result.Invalid invalid) {
            return new Parsed.Invalid(invalid.error());
        }
        CompletionRequest request = ((RequestParser.Result.Valid) result).request();
        return new Parsed.Valid(request, (requestId, created) -> new ResponseFormat(operation,
                operation.idPrefix() + requestId, created, request.model(), request.includeUsage()));
    }
}
