package io.steerguard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where configuration documents come from ({@code steerguard.config.*}). */
@ConfigMapping(prefix = "steerguard.config")
public interface DocumentsConfig {

    /**
     * Files or folders whose {@code *.yaml}/{@code *.yml} files are configuration documents
     * (env {@code STEERGUARD_CONFIG_PATHS}, comma-separated). Folders are read recursively;
     * hidden entries are skipped.
     */
    @WithDefault("policies,src/main/config")
    List<Path> paths();

    /**
     * Base directory for relative paths inside documents (model folders, vector files). Absolute
     * paths are used as they are.
     */
    @WithDefault(".")
    Path baseDir();

    /**
     * How often the paths are checked for changes; {@code 0s} turns hot reload off. A change is
     * applied once two checks in a row saw the same files (size, time and content hash), so a file
     * caught mid-write is never applied.
     */
    @WithDefault("2s")
    Duration reloadInterval();

    /**
     * How long a runtime replaced or removed by a reload keeps serving the requests it already
     * has before it is closed.
     */
    @WithDefault("60s")
    Duration drainTimeout();
}
