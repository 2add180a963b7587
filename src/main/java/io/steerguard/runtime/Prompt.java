package io.steerguard.runtime;

import java.util.List;
import java.util.Objects;

/** What the model continues: chat messages (rendered by the runtime's template), plain text, or token ids. */
public sealed interface Prompt {

    /** Chat messages; the runtime appends the assistant generation prompt. */
    record Chat(List<ChatMessage> messages) implements Prompt {
        public Chat {
            Objects.requireNonNull(messages, "messages");
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages must not be empty");
            }
            messages = List.copyOf(messages);
        }
    }

    /** Raw text for completion-style (base) models. */
    record Text(String text) implements Prompt {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Pre-tokenised input for the embedded runtime (vector derivation, probes). */
    record Tokens(int[] ids) implements Prompt {
        public Tokens {
            Objects.requireNonNull(ids, "ids");
            if (ids.length == 0) {
                throw new IllegalArgumentException("token ids must not be empty");
            }
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }
    }

    static Prompt chat(List<ChatMessage> messages) {
        return new Chat(messages);
    }

    static Prompt text(String text) {
        return new Text(text);
    }
}
