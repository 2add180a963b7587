/**
 * The project's one RFC 4180 reader, which keeps each record's line for error messages.
 * Depends on nothing else in SteerGuard.
 */
package io.steerguard.csv;
