/**
 * Micrometer meters of the gateway: requests, safety statistics, shadow, probes, review, geometry,
 * configuration and state backends. Implements the domain's observer ports; may depend on the
 * domain, never the other way round.
 */
package io.steerguard.telemetry;
