#!/usr/bin/env bash
# Embedded-runtime throughput benchmark: compiles, generates a ~100M-parameter Llama (F32) into
# target/bench-model on first use, measures memory bandwidth, prefill, decode at batch 1/4/8 and
# steering overhead, and prints a markdown table (also saved to target/bench/runtime.md).
# Run it alone: it uses both cores, and other work on the machine skews the numbers.
#
#   src/test/bench/runtime-bench.sh [decode-tokens]     # from anywhere; default 16
#
# Needs java (a JDK 17) and the Maven wrapper (network on first use). Says which step stopped it.
cd "$(dirname "$0")/../../.."
. src/test/bench/bench-lib.sh
bench_require java:openjdk-17-jdk-headless
bench_mvn "compiling the benchmark" test-compile
bench_classpath target/bench-classpath.txt
mkdir -p target/bench
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
bench_step "running io.steerguard.runtime.embedded.RuntimeBench (first run generates target/bench-model)"
# shellcheck disable=SC2086
java -Xmx8g -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.steerguard.runtime.embedded.RuntimeBench target/bench-model "${1:-16}" 2> >(grep -vE 'WARN|INFO' >&2) \
  | tee target/bench/runtime.md
