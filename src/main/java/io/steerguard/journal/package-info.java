/**
 * Checksummed line records: the on-disk format of the profile-state file, review labels and
 * calibration versions. Depends on nothing else in SteerGuard.
 */
package io.steerguard.journal;
