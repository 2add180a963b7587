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

    private Devices() {
    }

    static Device resolve(String device, Path modelDir) {
        DjlOffline.ensure();
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
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
}
