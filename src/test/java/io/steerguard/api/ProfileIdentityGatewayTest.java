package io.steerguard.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ProfileIdentityContract} on the default state backend, the local file. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ProfileIdentityGatewayTest extends ProfileIdentityContract {
}
