#!/usr/bin/env bash
# Chaos and soak run (not part of the test suite; ~MINUTES+2 minutes). The packaged gateway on
# loopback, Redis as its state backend, a fault-injecting fake upstream, N minutes of mixed
# open-loop traffic and a fixed fault schedule; exits 1 when a promise broke (a block lost, an
# unexplained 5xx, heap or descriptors growing, p99 above the bound, slowloris kept open).
# See io.steerguard.soak.Soak for what is checked and docs/reliability.md for a recorded run.
#
#   src/test/bench/soak.sh                      # from the repository root
#   MINUTES=10 RATE=60 P99_BOUND_MS=250 src/test/bench/soak.sh
#
# Needs java, redis-server (Debian: apt-get install -y redis-server) and the Maven wrapper; it builds
# what is missing and says why it stops. Loopback only; it stops by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
MINUTES=${MINUTES:-5}
RATE=${RATE:-40}
P99_BOUND_MS=${P99_BOUND_MS:-250}
HEADER_BOUND_S=${HEADER_BOUND_S:-15}  # slowloris connections must be closed within this (gateway default: 10 s header-read timeout); 0: report only
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
OUT_DIR=${OUT_DIR:-target/soak/$(date +%Y%m%d-%H%M%S)}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

command -v redis-server >/dev/null || { echo "soak: redis-server is missing (apt-get update && apt-get install -y redis-server)" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "soak: jcmd is missing (a JDK 17, not a JRE, is needed to sample the heap)" >&2; exit 2; }
mkdir -p "$OUT_DIR"
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -d target/test-classes/io/steerguard/soak ]; then
    echo "soak: building the gateway and the test classes (./mvnw package -DskipTests), log in $OUT_DIR/build.log" >&2
    ./mvnw -B -ntp package -DskipTests > "$OUT_DIR/build.log" 2>&1 \
        || { echo "soak: the build failed; the end of $OUT_DIR/build.log:" >&2; tail -30 "$OUT_DIR/build.log" >&2; exit 2; }
fi
if [ ! -s target/soak-classpath.txt ]; then
    ./mvnw -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt \
        > "$OUT_DIR/classpath.log" 2>&1 \
        || { echo "soak: resolving the test classpath failed; the end of $OUT_DIR/classpath.log:" >&2; tail -30 "$OUT_DIR/classpath.log" >&2; exit 2; }
fi
echo "soak: $MINUTES min at $RATE req/s, results in $OUT_DIR" >&2
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/soak-classpath.txt)" io.steerguard.soak.Soak \
    --minutes="$MINUTES" --rate="$RATE" --out="$OUT_DIR" --p99-bound-ms="$P99_BOUND_MS" \
    --header-bound-s="$HEADER_BOUND_S" --java-opts="$JAVA_OPTS" --jar=target/quarkus-app/quarkus-run.jar
