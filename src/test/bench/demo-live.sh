#!/usr/bin/env bash
# Live externality of a demo profile: the gateway's own shadow-path estimate after N mirrored
# requests, beside the offline number for the same prompts. Starts the packaged gateway on the demo
# model with a TEMP config folder (the demo documents of src/main/config, a tenant allowed the
# profile, and one GuardrailPolicy mirroring every request, sampleRate 1.0, action alert so the
# profile keeps steering while it is measured), runs
#   target/steerguard evaluate-demo --gateway ... --profile P --requests N
# (held-out prompts of the demo corpus, three HARMFUL to one BENIGN), writes the result to
# $OUT_DIR/live.json and replaces the live section of docs/demo-model.md, then stops the gateway.
# Not part of the test suite.
#
#   src/test/bench/demo-live.sh                 # from the repository root; a few minutes
#
# Needs java and curl; builds target/quarkus-app (./mvnw -B -ntp package -DskipTests) and the
# target/steerguard launcher when missing (network on first use). It says which step stopped it.
#
# Knobs (environment):
#   PROFILE=json-format   profile of the demo configuration to measure
#   REQUESTS=120          requests sent           MAX_TOKENS=48  per answer (the policy's shadow maxTokens)
#   MODEL=models/demo-chat  the demo model (for the offline pairs of the same prompts)
#   VECTOR=$MODEL/vectors/$PROFILE.safetensors   COEFFICIENT, LAYERS, POSITIONS=<the profile's, from src/main/config>
#   REPORT=docs/demo-model.md  report whose live section is replaced (REPORT= to leave it alone)
#   PORT=<first free from 18380>   SEED=7   JAVA_OPTS=...   OUT_DIR=target/demo-live/<time>
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
. src/test/bench/bench-lib.sh

PROFILE=${PROFILE:-json-format}
REQUESTS=${REQUESTS:-120}
MAX_TOKENS=${MAX_TOKENS:-48}
MODEL=${MODEL:-models/demo-chat}
VECTOR=${VECTOR:-$MODEL/vectors/$PROFILE.safetensors}
REPORT=${REPORT-docs/demo-model.md}
SEED=${SEED:-7}
JAVA_OPTS=${JAVA_OPTS:-}
OUT_DIR=${OUT_DIR:-target/demo-live/$(date +%Y%m%d-%H%M%S)}
USER_KEY=sk-demo-live-user
ADMIN_KEY=sk-demo-live-admin-$RANDOM$RANDOM

bench_require curl:curl java:openjdk-17-jdk-headless
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    bench_mvn "building the gateway" package -DskipTests
fi
if [ ! -x target/steerguard ] || [ ! -d target/classes/io/steerguard/training/evaluation ]; then
    bench_mvn "compiling the tools" compile
fi
bench_step "reading the profile's settings"

# The profile's coefficient as the demo configuration sets it (first `coefficient:` of its document).
if [ -z "${COEFFICIENT:-}" ]; then
    COEFFICIENT=$(awk -v p="$PROFILE" '
        /^---/ {inside = 0}
        $0 ~ "name: *" p "([ ,}]|$)" {inside = 1}
        inside && /coefficient:/ {sub(/.*coefficient: */, ""); sub(/[ ,}].*/, ""); print; exit}' src/main/config/*.yaml)
fi
if [ -z "$COEFFICIENT" ]; then
    echo "no profile '$PROFILE' with a coefficient in src/main/config/*.yaml; set PROFILE or COEFFICIENT" >&2
    exit 2
fi
# and its layers ("[1, 2]" -> "1,2"); empty means every layer of the vector file
LAYERS=${LAYERS-$(awk -v p="$PROFILE" '
    /^---/ {inside = 0}
    $0 ~ "name: *" p "([ ,}]|$)" {inside = 1}
    inside && /layers:/ {sub(/.*layers: *\[/, ""); sub(/\].*/, ""); gsub(/ /, ""); print; exit}' src/main/config/*.yaml)}
# and its positions (default all)
POSITIONS=${POSITIONS:-$(awk -v p="$PROFILE" '
    /^---/ {inside = 0}
    $0 ~ "name: *" p "([ ,}]|$)" {inside = 1}
    inside && /positions:/ {sub(/.*positions: */, ""); sub(/[ ,}].*/, ""); print; exit}' src/main/config/*.yaml)}
POSITIONS=${POSITIONS:-all}
RUNTIME=$(awk -v p="$PROFILE" '
    /^---/ {inside = 0}
    $0 ~ "name: *" p "([ ,}]|$)" {inside = 1}
    inside && /runtime:/ {sub(/.*runtime: */, ""); sub(/[ ,}].*/, ""); print; exit}' src/main/config/*.yaml)

PORT=${PORT:-}
if [ -z "$PORT" ]; then
    for candidate in $(seq 18380 18480); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/$candidate) 2>/dev/null; then PORT=$candidate; break; fi
    done
fi
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
WORK=$(mktemp -d /tmp/steerguard-demo-live.XXXXXX)
GW_PID=
cleanup() {
    if [ -n "$GW_PID" ]; then
        kill -TERM "$GW_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$GW_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# ---- configuration: the demo documents, a tenant for this run, a measuring policy ----------------
mkdir -p "$WORK/config" "$WORK/data"
cp src/main/config/*.yaml "$WORK/config/"
cat > "$WORK/config/zz-demo-live.yaml" <<YAML
apiVersion: steerguard.io/v1
kind: Tenant
metadata: {name: demo-live}
spec:
  apiKeys: [{sha256: $(printf %s "$USER_KEY" | sha256sum | cut -d' ' -f1), description: demo-live.sh}]
  models:
    $RUNTIME: {defaultProfile: unsteered, allowedProfiles: [$PROFILE]}
---
apiVersion: steerguard.io/v1
kind: GuardrailPolicy
metadata: {name: demo-live}
spec:
  selector: {profiles: ["*"]}
  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: $MAX_TOKENS}
  limits: {maxExternalityRate: 0.05}
  action: alert
YAML

env STEERGUARD_CONFIG_PATHS="$WORK/config" STEERGUARD_ADMIN_API_KEY_SHA256="$(printf %s "$ADMIN_KEY" | sha256sum | cut -d' ' -f1)" \
    DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    java $JAVA_OPTS -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dsteerguard.policy.data-dir="$WORK/data" -jar target/quarkus-app/quarkus-run.jar >"$OUT_DIR/gateway.log" 2>&1 &
GW_PID=$!
ready=0
for _ in $(seq 240); do
    if curl -sf --max-time 5 "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.5
done
if [ $ready -ne 1 ]; then
    echo "the gateway did not become ready; its log:" >&2
    tail -40 "$OUT_DIR/gateway.log" >&2
    exit 1
fi
echo "gateway :$PORT (pid $GW_PID), profile $PROFILE (coefficient $COEFFICIENT), $REQUESTS requests" >&2

ARGS=(--gateway "http://127.0.0.1:$PORT" --api-key "$USER_KEY" --admin-key "$ADMIN_KEY" --profile "$PROFILE"
      --model-name "$RUNTIME" --requests "$REQUESTS" --live-max-tokens "$MAX_TOKENS" --seed "$SEED"
      --live-out "$OUT_DIR/live.json")
if [ -f "$VECTOR" ]; then
    ARGS+=(--model "$MODEL" --vector "$VECTOR" --coefficient "$COEFFICIENT")
    [ -n "$LAYERS" ] && ARGS+=(--layers "$LAYERS")
    ARGS+=(--positions "$POSITIONS")
fi
[ -n "$REPORT" ] && [ -f "$REPORT" ] && ARGS+=(--out "$REPORT")
target/steerguard evaluate-demo "${ARGS[@]}" | tee "$OUT_DIR/live.md"
# Where every mirrored request ended (paired, dropped by the bounded queue, skipped, failed), so a
# request the run did not see paired is accounted for.
curl -s "http://127.0.0.1:$PORT/q/metrics" | grep -E '^steerguard_shadow_samples_total' \
    | tee "$OUT_DIR/shadow-outcomes.txt" >&2 || true
echo "results in $OUT_DIR (live.json, live.md, shadow-outcomes.txt, gateway.log)" >&2
