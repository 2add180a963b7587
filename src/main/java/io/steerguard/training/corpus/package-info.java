/**
 * The team-written demo corpus: topics, refusals, greetings and out-of-scope answers, with the
 * held-out split. A tool package.
 */
package io.steerguard.training.corpus;
