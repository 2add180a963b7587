package io.steerguard.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic structure-blind mutations of seed inputs, in the spirit of AFL's havoc stage:
 * each call applies one to four edits chosen at random from bit flips, "interesting" bytes and
 * integers, block deletion, duplication and insertion, truncation, splicing with another seed and
 * insertion of a dictionary token of the format under test (JSON punctuation, YAML markers, SSE
 * field names...). The same seed of the {@link SplittableRandom} gives the same sequence of
 * inputs, so a failure found in CI reproduces locally from the seed in its message.
 */
public final class Mutator {

    /** Bytes that often sit on a parser's boundary conditions. */
    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\n', '\r', '"', '\\',
            '{', '}', '[', ']', ':', ',', '-', '.', 'e', '0', '9', ' ', '\t', (byte) 0xc3, (byte) 0xe2, (byte) 0xf0};
    /** Little-endian integers that make length and count fields huge, negative or zero. */
    private static final long[] INTERESTING_INTS = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL,
            0x80000000L, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 1 << 20, 1 << 30};
    private static final int MAX_LENGTH = 1 << 16;

    private final List<byte[]> seeds;
    private final List<byte[]> dictionary;
    private final SplittableRandom random;

    public Mutator(List<byte[]> seeds, List<String> dictionary, long seed) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a mutator needs at least one seed input");
        }
        this.seeds = List.copyOf(seeds);
        this.dictionary = dictionary.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.random = new SplittableRandom(seed);
    }

    /** The next input: a seed with one to four random edits. */
    public byte[] next() {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            data = edit(data);
        }
        return data.length > MAX_LENGTH ? Arrays.copyOf(data, MAX_LENGTH) : data;
    }

    private byte[] edit(byte[] data) {
        int op = random.nextInt(data.length == 0 ? 1 : 9);
        return switch (op) {
            case 0 -> insert(data, random.nextInt(data.length + 1), randomBlock());
            case 1 -> flipBit(data);
            case 2 -> setByte(data, INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]);
            case 3 -> setInt(data);
            case 4 -> delete(data);
            case 5 -> duplicate(data);
            case 6 -> Arrays.copyOf(data, random.nextInt(data.length));
            case 7 -> splice(data);
            default -> dictionary.isEmpty() ? flipBit(data)
                    : insert(data, random.nextInt(data.length + 1), dictionary.get(random.nextInt(dictionary.size())));
        };
    }

    private byte[] randomBlock() {
        if (!dictionary.isEmpty() && random.nextBoolean()) {
            return dictionary.get(random.nextInt(dictionary.size()));
        }
        byte[] block = new byte[1 + random.nextInt(8)];
        for (int i = 0; i < block.length; i++) {
            block[i] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        }
        return block;
    }

    private byte[] flipBit(byte[] data) {
        int i = random.nextInt(data.length);
        data[i] ^= (byte) (1 << random.nextInt(8));
        return data;
    }

    private byte[] setByte(byte[] data, byte value) {
        data[random.nextInt(data.length)] = value;
        return data;
    }

    private byte[] setInt(byte[] data) {
        long value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
        int width = random.nextBoolean() ? 4 : 8;
        if (data.length < width) {
            return setByte(data, (byte) value);
        }
        int at = random.nextInt(data.length - width + 1);
        for (int i = 0; i < width; i++) {
            data[at + i] = (byte) (value >>> (8 * i));
        }
        return data;
    }

    private byte[] delete(byte[] data) {
        int from = random.nextInt(data.length);
        int to = Math.min(data.length, from + 1 + random.nextInt(Math.max(1, data.length / 4)));
        byte[] out = new byte[data.length - (to - from)];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(data, to, out, from, data.length - to);
        return out;
    }

    private byte[] duplicate(byte[] data) {
        int from = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(64, data.length - from));
        return insert(data, random.nextInt(data.length + 1), Arrays.copyOfRange(data, from, from + length));
    }

    private byte[] splice(byte[] data) {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        if (other.length == 0) {
            return data;
        }
        int cut = random.nextInt(data.length + 1);
        int otherCut = random.nextInt(other.length);
        byte[] out = Arrays.copyOf(data, cut + other.length - otherCut);
        System.arraycopy(other, otherCut, out, cut, other.length - otherCut);
        return out;
    }

    private static byte[] insert(byte[] data, int at, byte[] block) {
        byte[] out = new byte[data.length + block.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(block, 0, out, at, block.length);
        System.arraycopy(data, at, out, at + block.length, data.length - at);
        return out;
    }
}
