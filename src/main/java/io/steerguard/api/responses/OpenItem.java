package io.steerguard.api.responses;

/** An output item still being streamed: what {@link ResponsesFormat} has sent of it so far. */
sealed interface OpenItem {

    /** Its position in {@code output}. */
    int index();

    /** The item as it stands, with {@code status}. */
    OutputItem item(OutputItem.Status status);

    final class Message implements OpenItem {
        final int index;
        final String id;
        final StringBuilder text = new StringBuilder();

        Message(int index, String id) {
            this.index = index;
            this.id = id;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public OutputItem item(OutputItem.Status status) {
            return new OutputItem.Message(id, status, text.toString());
        }
    }

    final class Call implements OpenItem {
        final int index;
        final String id;
        /** The call's index among the runtime's tool calls, to tell its later deltas apart. */
        final int runtimeIndex;
        final String callId;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        Call(int index, String id, int runtimeIndex, String callId, String name) {
            this.index = index;
            this.id = id;
            this.runtimeIndex = runtimeIndex;
            this.callId = callId;
            this.name = name;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public OutputItem item(OutputItem.Status status) {
            return new OutputItem.FunctionCall(id, status, callId, name, arguments.toString());
        }
    }
}
