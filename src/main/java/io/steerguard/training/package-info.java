/**
 * Training of the demo chat model: a trainable Llama on DJL, the optimiser, the plan and the export
 * to the embedded runtime's format. A tool package: the serving application never reaches it.
 */
package io.steerguard.training;
