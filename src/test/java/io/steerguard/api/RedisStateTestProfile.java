package io.steerguard.api;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.steerguard.redis.RedisServerProcess;

/** The gateway with {@code steerguard.state.backend=redis}, on a real redis-server the test starts. */
public class RedisStateTestProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** Starts redis-server (AOF on) before the application and kills it after. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        private static volatile RedisServerProcess server;

        public static RedisServerProcess server() {
            return server;
        }

        @Override
        public Map<String, String> start() {
            try {
                server = RedisServerProcess.start(Files.createTempDirectory("steerguard-redis"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start redis-server for the test: " + e.getMessage(), e);
            }
            return Map.of("steerguard.state.backend", "redis",
                    "quarkus.redis.hosts", server.uri(),
                    "steerguard.state.redis-timeout", "500ms",
                    "steerguard.state.redis-reconnect-interval", "200ms");
        }

        @Override
        public void stop() {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
