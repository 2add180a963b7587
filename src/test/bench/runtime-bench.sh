#!/usr/bin/env bash
# Embedded-runtime throughput benchmark: compiles, generates a ~100M-parameter Llama (F32) into
# target/bench-model on first use, measures memory bandwidth, prefill, decode at batch 1/4/8 and
# steering overhead, and prints a markdown table (also saved to target/bench/runtime.md).
# Run it alone: it uses both cores, and other work on the machine skews the numbers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -o test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
mkdir -p target/bench
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
java -Xmx8g -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.steerguard.runtime.embedded.RuntimeBench target/bench-model "${1:-16}" 2> >(grep -vE 'WARN|INFO' >&2) \
  | tee target/bench/runtime.md
