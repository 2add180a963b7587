package io.steerguard.blocking;

import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit's extension auto-detection, which Quarkus turns on): a test
 * during which Vert.x reported a blocked thread fails, naming the warnings. Warnings logged
 * between tests (application start-up, say) fail the build through {@link BlockedThreadSession}.
 */
public class NoBlockedThreadsExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoBlockedThreadsExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        BlockedThreadWarnings.install();
        context.getStore(NS).put("pending", BlockedThreadWarnings.pending().size());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer before = context.getStore(NS).get("pending", Integer.class);
        List<String> pending = BlockedThreadWarnings.pending();
        if (before != null && pending.size() > before) {
            throw new AssertionError("Vert.x reported a blocked thread during this test (nothing may block an "
                    + "event loop for " + "its time limit, nor a worker for its own): "
                    + String.join(" | ", pending.subList(before, pending.size())));
        }
    }
}
