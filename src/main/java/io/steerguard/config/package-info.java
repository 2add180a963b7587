/**
 * Configuration documents (profiles, policies, tenants, runtimes) read from YAML with file, line
 * and field in every problem, validated as a set, and the Quarkus config mappings of the gateway.
 * May depend on the domain ({@code policy}, {@code runtime}, {@code steering}, {@code stats}); the
 * domain never depends on it.
 */
package io.steerguard.config;
