/**
 * The demo model's byte-pair tokenizer and its training. A tool package.
 */
package io.steerguard.training.tokenizer;
