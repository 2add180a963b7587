package io.steerguard.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ProfileIdentityContract} with {@code steerguard.state.backend=redis} on a real redis-server. */
@QuarkusTest
@TestProfile(RedisStateTestProfile.class)
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class RedisProfileIdentityGatewayTest extends ProfileIdentityContract {
}
