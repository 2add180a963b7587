package io.steerguard.steering;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes vector files in any {@link VectorFormat}. The format comes from the extension,
 * or from the content when the extension is unknown ({@code GGUF} magic, a leading '{' for JSON,
 * otherwise safetensors). Writes go to a temporary sibling and are moved into place, so a reader
 * that hot-reloads never sees half a file.
 */
public final class VectorFiles {

    private VectorFiles() {
    }

    /** Reads {@code path}; the result's source is the path as given. */
    public static VectorSet read(Path path) {
        String file = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new VectorFileException(file, "file", "cannot be read: " + e, e);
        }
        return read(bytes, file);
    }

    /** Parses {@code bytes} read from {@code file}. */
    public static VectorSet read(byte[] bytes, String file) {
        VectorFormat format = VectorFormat.ofFileName(file);
        if (format == null) {
            format = sniff(bytes);
        }
        return switch (format) {
            case GGUF -> ControlVectorGguf.read(bytes, file);
            case SAFETENSORS -> SafetensorsVectors.read(bytes, file);
            case JSON -> JsonVectors.read(bytes, file);
        };
    }

    /** The bytes of {@code set} in {@code format}. */
    public static byte[] encode(VectorSet set, VectorFormat format) {
        return switch (format) {
            case GGUF -> ControlVectorGguf.write(set);
            case SAFETENSORS -> SafetensorsVectors.write(set);
            case JSON -> JsonVectors.write(set);
        };
    }

    /** Writes {@code set} to {@code path} in the format its extension names, atomically where possible. */
    public static void write(VectorSet set, Path path) throws IOException {
        VectorFormat format = VectorFormat.ofFileName(path.getFileName().toString());
        if (format == null) {
            throw new IllegalArgumentException(path + ": unknown vector file extension, use .gguf, .safetensors or .json");
        }
        writeBytes(encode(set, format), path);
    }

    static void writeBytes(byte[] bytes, Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static VectorFormat sniff(byte[] bytes) {
        if (bytes.length >= 4 && bytes[0] == 'G' && bytes[1] == 'G' && bytes[2] == 'U' && bytes[3] == 'F') {
            return VectorFormat.GGUF;
        }
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{' ? VectorFormat.JSON : VectorFormat.SAFETENSORS;
            }
        }
        return VectorFormat.SAFETENSORS;
    }
}
