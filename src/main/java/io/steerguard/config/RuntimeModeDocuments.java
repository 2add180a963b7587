package io.steerguard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What runtime mode accepts from the configuration documents: only {@code Runtime} documents of
 * {@code type: embedded}. Tenants, profiles and policies belong to the gateway in front; loading
 * them here would suggest they take effect, so they are errors with a message that says where they go.
 */
public final class RuntimeModeDocuments {

    private RuntimeModeDocuments() {
    }

    /** Errors for every document runtime mode does not serve; empty when the set fits. */
    public static List<ConfigProblem> problems(ConfigSet config) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ConfigDocument doc : config.documents()) {
            if (doc instanceof RuntimeDocument runtime) {
                if (!(runtime.spec() instanceof RuntimeDocument.Embedded)) {
                    problems.add(ConfigProblem.error(doc.location(), "spec.type", "runtime mode "
                            + "(steerguard.mode=runtime) serves only embedded runtimes; Runtime '" + doc.name()
                            + "' is type " + runtime.spec().type() + ", which belongs in the gateway's configuration"));
                }
            } else {
                problems.add(ConfigProblem.error(doc.location(), "kind", "runtime mode (steerguard.mode=runtime) "
                        + "reads only Runtime documents; " + doc.kind() + " '" + doc.name() + "' belongs in the "
                        + "gateway's configuration (steering arrives per request as EasySteer's 'steering' object)"));
            }
        }
        return problems;
    }
}
