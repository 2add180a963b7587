package io.steerguard.training;

/**
 * One training step's input: {@code rows} rows of {@code length} tokens, each row holding several
 * whole examples back to back. Flattened row-major arrays of {@code rows * length} entries.
 *
 * @param tokens    input token ids (padding uses the end-of-turn id and carries no weight)
 * @param positions position of each token within its own example (restarts at 0 per example)
 * @param targets   the next token of the same example (0 where there is none)
 * @param weights   1 where the target is part of the assistant's answer, else 0
 * @param mask      additive attention mask {@code [rows, length, length]}: 0 where query i may read
 *                  key j (same example, j &lt;= i), -1e9 elsewhere
 * @param weightSum sum of {@code weights}, the loss's denominator
 */
record PackedBatch(int rows, int length, long[] tokens, long[] positions, long[] targets, float[] weights,
                   float[] mask, float weightSum) {

    PackedBatch {
        if (rows < 1 || length < 2) {
            throw new IllegalArgumentException("rows must be >= 1 and length >= 2, got " + rows + "x" + length);
        }
        int n = rows * length;
        if (tokens.length != n || positions.length != n || targets.length != n || weights.length != n
                || mask.length != n * length) {
            throw new IllegalArgumentException("arrays must hold rows*length entries (mask rows*length*length)");
        }
    }
}
