/**
 * The in-process runtime: Llama/Qwen2-family transformers on DJL PyTorch with steering hooks,
 * continuous batching on its own inference executor, sampling, chat templates and tool-call parsing.
 * Depends on the {@code runtime} port and {@code djl}; never on the gateway or the safety machinery.
 */
package io.steerguard.runtime.embedded;
