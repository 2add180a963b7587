package io.steerguard.runtime.tck;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.reactivestreams.tck.PublisherVerification;

/**
 * Runs the Reactive Streams TCK's publisher rules under JUnit: one dynamic test per rule method of
 * {@link PublisherVerification} (those TestNG marks {@code @Test}), each after the verification's own
 * {@code @BeforeMethod} set-up, as TestNG would run them. The suite runs on the JUnit Platform only,
 * so the TCK's TestNG annotations are read here instead of by a second test engine.
 *
 * <p>A rule the TCK cannot check on this publisher throws TestNG's {@code SkipException} (the
 * {@code untested_} rules always; others when the publisher cannot emit the element count they
 * need): that becomes an aborted test, visible in the report, never a pass. Any other failure
 * fails the test.
 */
final class TckAdapter {

    private TckAdapter() {
    }

    static Stream<DynamicTest> rules(PublisherVerification<?> verification) {
        return Arrays.stream(PublisherVerification.class.getMethods())
                .filter(m -> m.isAnnotationPresent(org.testng.annotations.Test.class))
                .sorted(Comparator.comparing(Method::getName))
                .map(m -> DynamicTest.dynamicTest(m.getName(), () -> run(verification, m)));
    }

    private static void run(PublisherVerification<?> verification, Method rule) throws Throwable {
        verification.setUp();
        try {
            rule.invoke(verification);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.testng.SkipException skip) {
                Assumptions.abort("not verified by the TCK here: " + skip.getMessage());
            }
            throw cause;
        }
    }
}
