package io.steerguard.gateway;

import io.steerguard.tenant.RateLimits;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers for the plain-Java parts the gateway wires together. */
public class GatewayBeans {

    @Produces
    @Singleton
    RateLimits rateLimits() {
        return new RateLimits();
    }
}
