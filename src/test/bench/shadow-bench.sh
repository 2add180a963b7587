#!/usr/bin/env bash
# Shadow-path benchmark: what mirroring costs the client. One packaged gateway in front of one fast
# fake EasySteer upstream (nginx returning a fixed SSE completion for every request, steered or
# not), all on loopback. Per round and rate, three modes are measured back to back at the same
# open-loop load, switched by rewriting one GuardrailPolicy (hot reload, same JVM, same JIT state):
#   off   sampleRate 0     the client's path alone
#   s10   sampleRate 0.1   10% of requests mirrored (default policy rate)
#   s100  sampleRate 1.0   every request mirrored
# Recorded per run: client latency (p50/p99/p99.9, from OpenLoopLoad, no coordinated omission),
# gateway and upstream CPU time per request (from /proc, including the shadow work that finishes
# after the load stops), shadow outcomes (paired/dropped/error) and the load average. Finally the
# classifier benchmark is rerun. Not part of the test suite. Results: docs/bench/shadow.md.
#
#   src/test/bench/shadow-bench.sh            # from the repository root; ~10 minutes with defaults
#
# Needs nginx, curl and java (Debian: apt-get install -y nginx curl), the packaged gateway
# (built here if missing: ./mvnw -B -ntp package -DskipTests) and the open-loop load generator
# io.steerguard.bench.OpenLoopLoad of the gateway benchmark (src/test/java/io/steerguard/bench,
# compiled into target/test-classes), or LOAD_CLASSES=<dir> holding its compiled classes.
#
# Knobs (environment):
#   RATES="50 200"      open-loop rates, requests/s      ROUNDS=2   repetitions of every mode
#   DURATION=30 WARMUP=5  seconds measured / sent unmeasured per run
#   GW_WARMUP=20        seconds of JVM warm-up (s100 mode) before the first measured run
#   CLASSIFIER=1        rerun io.steerguard.classifier.ClassifierBench at the end
#   PORT_BASE=18280     upstream and gateway listen on PORT_BASE+1..2 (127.0.0.1 only)
#   JAVA_OPTS=...       extra gateway JVM flags      OUT_DIR=target/shadow-bench/<time>
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
. src/test/bench/bench-lib.sh

RATES=${RATES:-"50 200"}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
GW_WARMUP=${GW_WARMUP:-20}
CLASSIFIER=${CLASSIFIER:-1}
PORT_BASE=${PORT_BASE:-18280}
JAVA_OPTS=${JAVA_OPTS:-}
OUT_DIR=${OUT_DIR:-target/shadow-bench/$(date +%Y%m%d-%H%M%S)}
LOAD_CLASSES=${LOAD_CLASSES:-$ROOT/target/test-classes}
KEY=sk-bench-shadow-key
UP_PORT=$((PORT_BASE + 1))
GW_PORT=$((PORT_BASE + 2))

# ---- report (also: REPORT_ONLY=<an earlier OUT_DIR> rebuilds its results.md from raw.txt) ---------
report() { # $1 = directory holding raw.txt and idle.txt
    local RAW="$1/raw.txt" IDLE_MS_PER_S
    IDLE_MS_PER_S=$(cat "$1/idle.txt" 2>/dev/null || echo "?")
    {
        cat "$1/run.txt" 2>/dev/null || true
        echo
        echo "| round | rate | mode | achieved/s | errors | p50 ms | p99 ms | p99.9 ms | mirrored | dropped | gateway CPU ms/req | upstream CPU ms/req | load before (1/5/15) | load after |"
        echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
        while IFS= read -r l; do
            mirrored=$(awk -v p="$(field "$l" paired)" -v d="$(field "$l" dropped)" -v e="$(field "$l" shadow_errors)" \
                -v n="$(field "$l" sent)" 'BEGIN{printf "%.1f%%", 100*(p+d+e)/n}')
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
                "$(field "$l" round)" "$(field "$l" target_rps)" "$(field "$l" label)" "$(field "$l" achieved_rps)" \
                "$(field "$l" errors)" "$(field "$l" p50_ms)" "$(field "$l" p99_ms)" "$(field "$l" p999_ms)" \
                "$mirrored" "$(field "$l" dropped)" "$(field "$l" gw_cpu_ms_per_req)" "$(field "$l" up_cpu_ms_per_req)" \
                "$(sed -n 's/.*load_before="\([^"]*\)".*/\1/p' <<<"$l")" "$(sed -n 's/.*load_after="\([^"]*\)".*/\1/p' <<<"$l")"
        done < "$RAW"
        echo
        echo "Gateway CPU with no traffic: $IDLE_MS_PER_S ms per second (included in the per-request figures above)."
        echo
        echo "Ratios per round and rate. p99: mode / off. Cost of one mirrored pair: extra gateway CPU of the mode"
        echo "over off, times requests sent, over pairs actually mirrored (dropped samples cost nothing). Shadow"
        echo "CPU share at 10%: extra gateway+upstream CPU per request over off, as a share of off, measured in"
        echo "the s10 run and predicted as 0.1 x (s100 cost per pair) / (off cost per request), which is less"
        echo "noisy (the shadow's cost is linear in the number of pairs)."
        echo
        echo "| round | rate | p99 s100/off | p99 s10/off | gateway CPU ms per pair (s100) | (s10) | shadow CPU share at 10%, measured | predicted from s100 |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
        for round in $(sed -n 's/.* round=\([0-9]*\).*/\1/p' "$RAW" | sort -un); do
            for rate in $(sed -n 's/.* target_rps=\([0-9]*\).*/\1/p' "$RAW" | sort -un); do
                get() { grep " label=$1 " "$RAW" | grep " round=$round " | grep " target_rps=$rate " | head -1; }
                off=$(get off); s10=$(get s10); s100=$(get s100)
                awk -v o="$(field "$off" p99_ms)" -v a="$(field "$s100" p99_ms)" -v b="$(field "$s10" p99_ms)" \
                    -v co="$(awk -v g="$(field "$off" gw_cpu_ms_per_req)" -v u="$(field "$off" up_cpu_ms_per_req)" 'BEGIN{print g+u}')" \
                    -v c1="$(awk -v g="$(field "$s10" gw_cpu_ms_per_req)" -v u="$(field "$s10" up_cpu_ms_per_req)" 'BEGIN{print g+u}')" \
                    -v c2="$(awk -v g="$(field "$s100" gw_cpu_ms_per_req)" -v u="$(field "$s100" up_cpu_ms_per_req)" 'BEGIN{print g+u}')" \
                    -v go="$(field "$off" gw_cpu_ms_per_req)" -v g1="$(field "$s10" gw_cpu_ms_per_req)" \
                    -v g2="$(field "$s100" gw_cpu_ms_per_req)" -v n="$(field "$off" sent)" \
                    -v m1="$(( $(field "$s10" paired) + $(field "$s10" shadow_errors) ))" \
                    -v m2="$(( $(field "$s100" paired) + $(field "$s100" shadow_errors) ))" \
                    -v r="$round" -v rate="$rate" \
                    'BEGIN{pp1 = m1 > 0 ? (g1-go)*n/m1 : 0; pp2 = m2 > 0 ? (g2-go)*n/m2 : 0;
                           printf "| %s | %s | %.2fx | %.2fx | %.2f | %.2f | %.0f%% | %.0f%% |\n", r, rate, a/o, b/o,
                           pp2, pp1, 100*(c1-co)/co, 100*0.1*pp2/co}'
            done
        done
    }
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
if [ -n "${REPORT_ONLY:-}" ]; then
    report "$REPORT_ONLY" > "$REPORT_ONLY/results.md"
    cat "$REPORT_ONLY/results.md"
    exit 0
fi

# ---- prerequisites -------------------------------------------------------------------------------
bench_require nginx:nginx curl:curl java:openjdk-17-jdk-headless
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f target/quarkus-app/quarkus-run.jar ] \
    || { [ "$LOAD_CLASSES" = "$ROOT/target/test-classes" ] && [ ! -f "$LOAD_CLASSES/io/steerguard/bench/OpenLoopLoad.class" ]; }; then
    bench_mvn "building the gateway and the load generator" package -DskipTests
fi
if [ ! -f "$LOAD_CLASSES/io/steerguard/bench/OpenLoopLoad.class" ]; then
    bench_fail "no io.steerguard.bench.OpenLoopLoad under LOAD_CLASSES=$LOAD_CLASSES (it is compiled into target/test-classes)"
fi
bench_step "checking the ports"
for port in $UP_PORT $GW_PORT; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "port $port is in use; set PORT_BASE to another value" >&2
        exit 2
    fi
done
LOAD_CP="$LOAD_CLASSES:$ROOT/target/quarkus-app/lib/main/*"
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
WORK=$(mktemp -d /tmp/steerguard-shadow-bench.XXXXXX)
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

uptime_now() { uptime | sed 's/.*load average: //; s/,//g'; }
log() { BENCH_STEP=$*; echo "[$(date +%T) load $(uptime_now)] $*" >&2; }

# ---- the upstream: every request (primary or twin) gets one fixed 16-token chat stream -----------
# (kept short: nginx limits one configuration parameter to 4 KiB)
chunk() {
    printf 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":%s,"usage":%s}\\n\\n' "$1" "$2"
}
SSE_BODY="$(chunk '[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]' null)"
for word in Sure , ' here' ' is' ' a' ' short' ' answer' . ' Check' ' the' ' settings' ' and' ' restart' ' the' \
            ' service' .; do
    SSE_BODY+="$(chunk "[{\"index\":0,\"delta\":{\"content\":\"$word\"},\"finish_reason\":null}]" null)"
done
SSE_BODY+="$(chunk '[{"index":0,"delta":{},"finish_reason":"stop"}]' null)"
SSE_BODY+="$(chunk '[]' '{"prompt_tokens":14,"completion_tokens":16,"total_tokens":30}')"
SSE_BODY+='data: [DONE]\n\n'
cat > "$WORK/upstream.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/upstream.pid;
error_log $WORK/upstream-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:$UP_PORT backlog=4096;
        location = /v1/chat/completions {
            default_type text/event-stream;
            return 200 '$SSE_BODY';
        }
    }
}
EOF

# ---- the gateway's documents: an EasySteer runtime, one steered profile, one tenant, one policy --
mkdir -p "$WORK/config" "$WORK/data"
KEY_SHA=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
cat > "$WORK/config/bench.yaml" <<EOF
apiVersion: steerguard.io/v1
kind: Runtime
metadata: {name: bench}
spec: {type: easysteer, baseUrl: "http://127.0.0.1:$UP_PORT/v1", upstreamModel: bench-upstream}
---
apiVersion: steerguard.io/v1
kind: SteeringProfile
metadata: {name: bench-steered}
spec:
  runtime: bench
  vectors: [{file: /srv/vectors/json-format.gguf, layers: [6], coefficient: 4.0}]
---
apiVersion: steerguard.io/v1
kind: Tenant
metadata: {name: bench}
spec:
  apiKeys: [{sha256: $KEY_SHA}]
  models: {bench: {defaultProfile: bench-steered}}
EOF
set_rate() { # $1 = sample rate; written atomically so the watcher never reads half a file
    cat > "$WORK/policy.tmp" <<EOF
apiVersion: steerguard.io/v1
kind: GuardrailPolicy
metadata: {name: shadow-bench}
spec:
  selector: {profiles: [bench-steered]}
  shadow: {sampleRate: $1, probationSampleRate: $1, maxTokens: 48}
  limits: {maxExternalityRate: 1.0}
  action: alert
EOF
    mv "$WORK/policy.tmp" "$WORK/config/policy.yaml"
    sleep 3 # reload interval 500 ms; the observed mirrored share below confirms the switch
}
set_rate 1.0
printf '{"model":"bench","stream":true,"max_tokens":48,"messages":[{"role":"user","content":"How do I get the service running again after the update?"}]}' > "$WORK/stream.json"

# ---- start ---------------------------------------------------------------------------------------
"$NGINX" -p "$WORK" -c "$WORK/upstream.conf" 2>"$WORK/upstream.out" &
UP_MASTER=$!
PIDS+=($UP_MASTER)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$UP_PORT) 2>/dev/null && break; sleep 0.1; done
if ! (exec 3<>/dev/tcp/127.0.0.1/$UP_PORT) 2>/dev/null; then
    echo "nginx did not start:" >&2
    cat "$WORK/upstream.out" "$WORK/upstream-error.log" >&2 2>/dev/null || true
    exit 1
fi
# shellcheck disable=SC2086
env STEERGUARD_CONFIG_PATHS="$WORK/config" DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    java $JAVA_OPTS -Dquarkus.http.port=$GW_PORT -Dquarkus.http.host=127.0.0.1 \
    -Dsteerguard.config.reload-interval=500ms -Dsteerguard.policy.data-dir="$WORK/data" \
    -jar target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
URL=http://127.0.0.1:$GW_PORT/v1/chat/completions
ready=0
for _ in $(seq 240); do
    if curl -s --max-time 5 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        --data-binary @"$WORK/stream.json" "$URL" 2>/dev/null | grep -q 'data: \[DONE\]'; then ready=1; break; fi
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.5
done
if [ $ready -ne 1 ]; then
    echo "the gateway did not answer; last reply:" >&2
    curl -s --max-time 5 -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" --data-binary @"$WORK/stream.json" "$URL" >&2 || true
    echo "its log:" >&2
    tail -40 "$WORK/gateway.log" >&2
    exit 1
fi
log "upstream :$UP_PORT (nginx), gateway :$GW_PORT (pid $GW_PID)"

# ---- helpers -------------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
cpu_ticks() { # utime+stime of the given pids, clock ticks
    local total=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo $total
}
upstream_pids() { pgrep -P "$UP_MASTER" | tr '\n' ' '; }
metrics() { curl -s --max-time 5 "http://127.0.0.1:$GW_PORT/q/metrics"; }
samples() { # $1 = outcome: the gateway's shadow sample counter for the bench profile, summed over tenants
    metrics | sed -n "s/^steerguard_shadow_samples_total{outcome=\"$1\",profile=\"bench-steered\"[^}]*} \(.*\)/\1/p" \
        | awk '{s += $1} END {if (NR) printf "%d", s}' | grep . || echo 0
}
shadow_idle() { # waits (at most 120 s) until no mirror runs or waits
    local m
    for _ in $(seq 240); do
        m=$(metrics)
        if grep -q '^steerguard_shadow_queue_depth 0.0' <<<"$m" && grep -q '^steerguard_shadow_inflight 0.0' <<<"$m"; then
            return 0
        fi
        sleep 0.5
    done
    log "shadow still busy after 120 s"
}
open_loop() { # $1 label, $2 rate, $3 duration, $4 warmup
    timeout $(( $3 + $4 + 60 )) java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$LOAD_CP" \
        io.steerguard.bench.OpenLoopLoad --label="$1" --url="$URL" --body="$WORK/stream.json" --key="$KEY" \
        --rate="$2" --duration="$3" --warmup="$4" --connections=64 --expect='[DONE]' 2>>"$OUT_DIR/loadgen.err" \
        | grep '^RESULT' || echo "RESULT label=$1 failed=1"
}

# ---- warm-up with every path hot: primary, twin, classifiers --------------------------------------
log "warming up for ${GW_WARMUP}s at 100 req/s, 100% mirrored"
open_loop warmup 100 "$GW_WARMUP" 0 >/dev/null
shadow_idle

# ---- idle cost: what the gateway burns with no traffic (watchers, timers, GC) ---------------------
set_rate 0
shadow_idle
idle0=$(cpu_ticks "$GW_PID")
sleep 20
IDLE_MS_PER_S=$(awk -v t=$(( $(cpu_ticks "$GW_PID") - idle0 )) -v hz="$HZ" 'BEGIN{printf "%.1f", 1000*t/hz/20}')
log "gateway idle CPU: $IDLE_MS_PER_S ms per second"

# ---- measurements --------------------------------------------------------------------------------
RAW="$OUT_DIR/raw.txt"
: > "$RAW"
echo "$IDLE_MS_PER_S" > "$OUT_DIR/idle.txt"
{
    echo "Run $(date -u +%FT%TZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "$(java -version 2>&1 | head -1). Rounds: $ROUNDS; rates: $RATES req/s; ${DURATION}s measured + ${WARMUP}s warm-up"
    echo "per run. Gateway JVM options: ${JAVA_OPTS:-none}."
    echo
} > "$OUT_DIR/run.txt"
declare -A RATE_OF=([off]=0 [s10]=0.1 [s100]=1.0)
for round in $(seq "$ROUNDS"); do
    for rate in $RATES; do
        for mode in off s100 s10; do
            set_rate "${RATE_OF[$mode]}"
            shadow_idle
            before_load=$(uptime_now)
            gw0=$(cpu_ticks "$GW_PID"); up0=$(cpu_ticks $(upstream_pids))
            p0=$(samples paired); d0=$(samples dropped); e0=$(samples error)
            log "round $round: $mode at $rate req/s for ${DURATION}s (+${WARMUP}s warm-up)"
            line=$(open_loop "$mode" "$rate" "$DURATION" "$WARMUP")
            shadow_idle
            gw1=$(cpu_ticks "$GW_PID"); up1=$(cpu_ticks $(upstream_pids))
            p1=$(samples paired); d1=$(samples dropped); e1=$(samples error)
            sent=$(awk -v r="$rate" -v d="$DURATION" -v w="$WARMUP" 'BEGIN{printf "%d", r * (d + w) + 0.5}')
            extra=$(awk -v g=$((gw1 - gw0)) -v u=$((up1 - up0)) -v hz="$HZ" -v n="$sent" \
                'BEGIN{printf "gw_cpu_ms_per_req=%.3f up_cpu_ms_per_req=%.3f", 1000*g/hz/n, 1000*u/hz/n}')
            echo "$line round=$round sent=$sent paired=$((p1 - p0)) dropped=$((d1 - d0)) shadow_errors=$((e1 - e0))" \
                "$extra load_before=\"$before_load\" load_after=\"$(uptime_now)\"" | tee -a "$RAW" >&2
        done
    done
done

RESULTS="$OUT_DIR/results.md"
report "$OUT_DIR" > "$RESULTS"

if [ "$CLASSIFIER" = 1 ]; then
    log "classifier benchmark (gateway stopped first so it has the cores)"
    kill -TERM "$GW_PID" "$UP_MASTER" 2>/dev/null || true
    sleep 3
    bench_mvn "compiling the classifier benchmark" test-compile
    bench_classpath target/cp.txt
    bench_step "running io.steerguard.classifier.ClassifierBench"
    {
        echo
        echo "Classifier benchmark rerun, load before: $(uptime_now)"
        echo
        DJL_OFFLINE=true OPT_OUT_TRACKING=true java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
            io.steerguard.classifier.ClassifierBench 3 "$OUT_DIR/classifier.md" >/dev/null 2>"$OUT_DIR/classifier.err" \
            && sed -n '/^| path/,/^$/p' "$OUT_DIR/classifier.md" \
            || echo "ClassifierBench failed; its errors are in $OUT_DIR/classifier.err"
        echo "Load after: $(uptime_now)"
    } >> "$RESULTS"
fi
cat "$RESULTS"
log "results in $RESULTS"
