package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.steerguard.policy.StateConfig;

/**
 * k8s/: every overlay runs the gateway replicas on shared state in one Redis whose AOF is on a
 * PersistentVolume and fsynced per write, reachable only from gateway pods.
 */
class K8sRedisStateTest {

    private static final String REDIS = "steerguard-redis";
    private static final String AUTH_SECRET = "steerguard-redis-auth/password";

    /** "secret/key" of the variable's secretKeyRef, or null when it is not read from a Secret. */
    private static String secretRef(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null ? null
                        : e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .orElse(null);
    }

    @Test
    void everyOverlay_sharesProfileStateThroughRedis_withADurableAof_closedByAPassword_reachableOnlyFromTheGateway() {
        for (String overlay : Manifests.OVERLAYS) {
            List<HasMetadata> objects = Manifests.typed(overlay);
            String where = overlay + ": ";
            Container gateway = Manifests.container(Manifests.get(objects, Deployment.class, "steerguard-gateway"));
            String backend = Manifests.envValue(gateway, "STEERGUARD_STATE_BACKEND");
            assertThat(StateConfig.Backend.valueOf(backend.toUpperCase(Locale.ROOT))).as(where + "backend")
                    .isEqualTo(StateConfig.Backend.REDIS);

            StatefulSet redis = Manifests.get(objects, StatefulSet.class, REDIS);
            Service service = Manifests.get(objects, Service.class, REDIS);
            URI hosts = URI.create(Manifests.envValue(gateway, "QUARKUS_REDIS_HOSTS"));
            assertThat(hosts.getScheme()).isEqualTo("redis");
            assertThat(hosts.getHost()).as(where + "the gateway points at the Redis Service").isEqualTo(REDIS);
            assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(hosts.getPort()));
            Map<String, String> pods = redis.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(pods).containsAllEntriesOf(service.getSpec().getSelector())
                    .containsAllEntriesOf(redis.getSpec().getSelector().getMatchLabels());
            assertThat(redis.getSpec().getServiceName()).isEqualTo(REDIS);
            assertThat(redis.getSpec().getReplicas()).isEqualTo(1);

            Container c = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
            List<String> args = c.getArgs();
            assertThat(args.get(args.indexOf("--appendonly") + 1)).as(where + "AOF on").isEqualTo("yes");
            assertThat(args.get(args.indexOf("--appendfsync") + 1)).as(where + "fsync per write").isEqualTo("always");
            String dir = args.get(args.indexOf("--dir") + 1);
            String dataVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dir)).findFirst()
                    .orElseThrow().getName();
            assertThat(redis.getSpec().getVolumeClaimTemplates()).as(where + "the AOF is on a PersistentVolume")
                    .anySatisfy(pvc -> assertThat(pvc.getMetadata().getName()).isEqualTo(dataVolume));
            assertThat(c.getImage()).as("a pinned Redis 7.0, the version the tests run").startsWith("redis:7.0.");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getResources().getLimits()).containsKey("memory");

            assertThat(args.get(args.indexOf("--protected-mode") + 1)).as(where + "protected mode").isEqualTo("yes");
            assertThat(args.get(args.indexOf("--requirepass") + 1)).as(where + "a password, from the env")
                    .isEqualTo("$(REDIS_PASSWORD)");
            assertThat(secretRef(c, "REDIS_PASSWORD")).as(where + "Redis's password").isEqualTo(AUTH_SECRET);
            assertThat(secretRef(gateway, "QUARKUS_REDIS_PASSWORD")).as(where + "the gateway's password")
                    .isEqualTo(AUTH_SECRET);
            assertThat(args.get(args.indexOf("--maxmemory-policy") + 1)).as(where + "state is never evicted")
                    .isEqualTo("noeviction");
            assertThat(args).as(where + "a memory cap below the container's limit").contains("--maxmemory");

            NetworkPolicy np = Manifests.get(objects, NetworkPolicy.class, REDIS);
            assertThat(pods).containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
            assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
                assertThat(rule.getFrom()).singleElement().satisfies(from -> {
                    assertThat(from.getNamespaceSelector()).isNull();
                    assertThat(from.getPodSelector().getMatchLabels())
                            .containsEntry("app.kubernetes.io/component", "gateway");
                });
            });
        }
    }
}
