/**
 * Tenants: API keys, rate limits and the profiles each may use, built from tenant documents.
 * Depends on {@code config}.
 */
package io.steerguard.tenant;
