package io.steerguard.runtime.embedded;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.nio.file.Path;

import io.steerguard.djl.DjlOffline;

/**
 * Resolves the configured device. GPU use needs a CUDA build of libtorch: on GPU nodes replace
 * {@code pytorch-native-cpu} with DJL's CUDA native artifact matching {@code pytorch-jni} (or
 * unpack a CUDA libtorch into {@code DJL_CACHE_DIR} at image build time); DJL stays offline.
 */
final class Devices {

    /** A resource of the {@code pytorch-native-cpu} jar, present exactly when libtorch ships with the build. */
    static final String LIBTORCH_MARKER = "native/lib/pytorch.properties";

    private Devices() {
    }

    static Device resolve(String device, Path modelDir) {
        DjlOffline.ensure();
        int gpus = pytorch(modelDir).getGpuCount();
        if (device.equals("cpu")) {
            return Device.cpu();
        }
        if (device.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        int index = Integer.parseInt(device.substring("cuda:".length()));
        if (index >= gpus) {
            throw new ModelLoadException(modelDir, "device " + device + " requested, but the PyTorch engine sees "
                    + gpus + " CUDA device(s); a CPU-only libtorch is on the classpath unless a CUDA build was installed");
        }
        return Device.gpu(index);
    }

    /**
     * The PyTorch engine. A build made with {@code -Dremote-only} has no libtorch on its classpath,
     * and DJL, offline, then fails with a message about an index file; say what is really missing.
     */
    private static Engine pytorch(Path modelDir) {
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            if (Devices.class.getClassLoader().getResource(LIBTORCH_MARKER) == null) {
                throw new ModelLoadException(modelDir, "this gateway was built without libtorch (./mvnw package "
                        + "-Dremote-only), so it can serve remote runtimes only; build without -Dremote-only to run "
                        + "an embedded model", e);
            }
            throw new ModelLoadException(modelDir, "the PyTorch engine did not start: " + e.getMessage(), e);
        }
    }
}
