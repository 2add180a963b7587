/**
 * Offline derivation of steering vectors and refusal directions from contrastive activations
 * (mean difference, PCA, layer separation), on the embedded runtime's capture. A tool package: the
 * serving application never reaches it.
 */
package io.steerguard.derivation;
