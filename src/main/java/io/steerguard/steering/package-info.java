/**
 * Steering vectors as data: file formats (safetensors, GGUF control vectors, JSON), the vector store
 * and cache, validation against a model, profile resolution, identities, refusal directions and
 * geometry audits. Framework-free; depends on the {@code runtime} port.
 */
package io.steerguard.steering;
