/**
 * Interval statistics the guardrail decides on: estimates with intervals, Wilson and Newcombe
 * intervals, the normal quantile, and the betting confidence sequence. Pure functions on counts;
 * depends on nothing else in SteerGuard.
 */
package io.steerguard.stats;
