package io.steerguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package map of docs/architecture.md, checked on the main classes. Each rule names a promise
 * the layout makes; a change that breaks one fails the build rather than eroding it quietly.
 */
class ArchitectureTest {

    /** Offline tooling: shipped in the same jar today, but nothing that serves may reach it. */
    private static final String[] TOOLS = {"io.steerguard.cli..", "io.steerguard.training..",
            "io.steerguard.derivation..", "io.steerguard.classifier.training.."};

    /** The serving application: HTTP, composition, configuration, meters and backends. */
    private static final String[] APPLICATION = {"io.steerguard.api..", "io.steerguard.gateway..",
            "io.steerguard.config..", "io.steerguard.telemetry..", "io.steerguard.tenant..", "io.steerguard.redis.."};

    /** The domain: what SteerGuard decides and computes, free of the web framework. */
    private static final String[] CORE = {"io.steerguard.stats..", "io.steerguard.csv..", "io.steerguard.journal..",
            "io.steerguard.djl..", "io.steerguard.runtime", "io.steerguard.runtime.embedded..",
            "io.steerguard.steering..", "io.steerguard.classifier..", "io.steerguard.review..",
            "io.steerguard.shadow..", "io.steerguard.policy.."};

    private static final String[] FRAMEWORK = {"io.quarkus..", "io.vertx..", "jakarta.enterprise..",
            "jakarta.inject..", "jakarta.ws..", "io.micrometer.."};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.steerguard");

    @Test
    void no_package_depends_on_itself_through_other_packages() {
        slices().matching("io.steerguard.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void the_core_and_the_tools_use_neither_quarkus_nor_vertx_nor_cdi_nor_micrometer() {
        noClasses().that().resideInAnyPackage(concat(CORE, TOOLS))
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORK)
                .check(MAIN);
    }

    @Test
    void the_serving_application_never_reaches_training_derivation_or_the_cli() {
        noClasses().that().resideOutsideOfPackages(TOOLS)
                .should().dependOnClassesThat().resideInAnyPackage(TOOLS)
                .check(MAIN);
    }

    @Test
    void runtimes_never_see_the_gateway_or_the_safety_machinery() {
        noClasses().that().resideInAPackage("io.steerguard.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(APPLICATION, TOOLS,
                        "io.steerguard.shadow..", "io.steerguard.policy..", "io.steerguard.review..",
                        "io.steerguard.classifier.."))
                .check(MAIN);
    }

    @Test
    void the_runtime_port_knows_no_runtime_implementation() {
        noClasses().that().resideInAPackage("io.steerguard.runtime")
                .should().dependOnClassesThat().resideInAnyPackage("io.steerguard.runtime.embedded..",
                        "io.steerguard.runtime.remote..")
                .check(MAIN);
    }

    @Test
    void the_http_layer_talks_to_runtimes_through_the_port_only() {
        noClasses().that().resideInAPackage("io.steerguard.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.steerguard.runtime.embedded..",
                        "io.steerguard.runtime.remote..", "io.steerguard.redis..")
                .check(MAIN);
    }

    @Test
    void the_domain_never_depends_on_the_application_around_it() {
        // (the tools may: `steerguard policy validate` reads configuration documents as the gateway does)
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(APPLICATION)
                .check(MAIN);
    }

    private static String[] concat(String[] a, String[] b, String... more) {
        String[] all = new String[a.length + b.length + more.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(more, 0, all, a.length + b.length, more.length);
        return all;
    }
}
