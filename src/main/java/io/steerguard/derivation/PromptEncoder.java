package io.steerguard.derivation;

import io.steerguard.runtime.ChatMessage;
import java.util.List;

/**
 * The tokenizer operations derivation needs to build its own token sequences (prompt plus a
 * completion for CAA, first tokens of refusals), without tying the steering library to one
 * runtime implementation. The embedded runtime's tokenizer provides all of them.
 */
public interface PromptEncoder {

    /** Whether the model has a chat template; without one prompts are encoded as raw text. */
    boolean hasChatTemplate();

    /** The chat template rendered with {@code add_generation_prompt=true}, encoded. */
    int[] encodeChat(List<ChatMessage> messages);

    /** A raw completion prompt, with BOS when the model expects it. */
    int[] encodePrompt(String text);

    /** Text as it is, no special tokens added (for a continuation of an encoded prompt). */
    int[] encode(String text);

    /**
     * The tokens of {@code prompt} as the model sees it before answering: the chat template with
     * the assistant header when there is one, else the raw text.
     */
    default int[] encodeUserPrompt(String prompt) {
        return hasChatTemplate() ? encodeChat(List.of(ChatMessage.user(prompt))) : encodePrompt(prompt);
    }
}
