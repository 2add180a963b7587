#!/usr/bin/env bash
# Gateway proxy benchmark: direct-to-upstream vs nginx keep-alive reverse proxy vs SteerGuard,
# in one run, against one fake OpenAI upstream (nginx returning a fixed SSE completion, and the
# same answer as one JSON chat.completion on /json/v1), all on loopback. Not part of the test
# suite. Method and results: docs/bench/gateway.md.
#
#   src/test/bench/gateway-bench.sh            # from the repository root; about 7 minutes
#
# Needs nginx and wrk from Debian (this script installs nothing):
#   apt-get update && apt-get install -y nginx wrk
# and the packaged gateway plus the compiled bench classes (built here if missing, with
# ./mvnw -B -ntp package -DskipTests; network on first use). It says which step stopped it.
#
# Knobs (environment):
#   RATES="500 1000"      fixed open-loop rates, requests/s
#   ROUNDS=1              repetitions of the whole measured sequence (paths interleaved in each)
#   DURATION=20 WARMUP=3  seconds measured / sent unmeasured per fixed-rate run
#   SAT_DURATION=15 SAT_CONNECTIONS=32 WRK_THREADS=1   closed-loop saturation runs (wrk)
#   GW_WARMUP=15          seconds of JVM warm-up per gateway mode before measuring
#   PROFILE=1             after the runs, record JFR on the gateway under saturation and summarise it
#   WAIT_LOAD=1.0 WAIT_LOAD_MAX=0   wait (polling each minute, at most WAIT_LOAD_MAX s) for the
#                         1-minute load average to drop below WAIT_LOAD before measuring
#   PORT_BASE=18180       upstream, proxy and gateway listen on PORT_BASE+1..3 (127.0.0.1 only)
#   JAVA_OPTS=...         extra JVM flags for the gateway
#   GATEWAY_APP=target/quarkus-app   the packaged gateway to measure (e.g. a copy of an older build)
#   OUT_DIR=target/gateway-bench/<time>   where results.md, raw lines and the profile go
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
. src/test/bench/bench-lib.sh

RATES=${RATES:-"500 1000"}
ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
SAT_DURATION=${SAT_DURATION:-15}
SAT_CONNECTIONS=${SAT_CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
GW_WARMUP=${GW_WARMUP:-15}
PROFILE=${PROFILE:-1}
WAIT_LOAD=${WAIT_LOAD:-1.0}
WAIT_LOAD_MAX=${WAIT_LOAD_MAX:-0}
PORT_BASE=${PORT_BASE:-18180}
JAVA_OPTS=${JAVA_OPTS:-}
GATEWAY_APP=$(cd "${GATEWAY_APP:-target/quarkus-app}" 2>/dev/null && pwd || echo "$ROOT/target/quarkus-app")
OUT_DIR=${OUT_DIR:-target/gateway-bench/$(date +%Y%m%d-%H%M%S)}
KEY=sk-bench-gateway-key
UP_PORT=$((PORT_BASE + 1))
PROXY_PORT=$((PORT_BASE + 2))
GW_PORT=$((PORT_BASE + 3))

# ---- prerequisites -------------------------------------------------------------------------------
bench_require nginx:nginx wrk:wrk curl:curl java:openjdk-17-jdk-headless
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f "$GATEWAY_APP/quarkus-run.jar" ] || [ ! -f target/test-classes/io/steerguard/bench/OpenLoopLoad.class ]; then
    bench_mvn "building the gateway and the load generator" package -DskipTests
fi
bench_step "checking the ports"
for port in $UP_PORT $PROXY_PORT $GW_PORT; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "port $port is in use; set PORT_BASE to another value" >&2
        exit 2
    fi
done
BENCH_CP="$ROOT/target/test-classes:$ROOT/target/quarkus-app/lib/main/*"

mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
WORK=$(mktemp -d /tmp/steerguard-gateway-bench.XXXXXX)
PIDS=()
WATCHDOG=""

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ -n "$WATCHDOG" ]; then
        pkill -TERM -P "$WATCHDOG" 2>/dev/null || true
        kill -TERM "$WATCHDOG" 2>/dev/null || true
        wait "$WATCHDOG" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM
# Hard bound on the whole run: the longest wait for a quiet machine plus 30 minutes.
# (Its own stderr is muted so that stopping it early prints no "Terminated".)
( exec 3>&2 2>/dev/null; sleep $((WAIT_LOAD_MAX + 1800)) && echo "gateway-bench: time limit reached" >&3 && kill -TERM $$ ) &
WATCHDOG=$!

load1() { cut -d' ' -f1 /proc/loadavg; }
log() { BENCH_STEP=$*; echo "[$(date +%T) load $(load1)] $*" >&2; }

# ---- the fixed upstream answer: one OpenAI chat stream, identical for all three paths ------------
chunk() { # $1 = choices JSON, $2 = usage JSON
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-upstream","choices":%s,"usage":%s}\\n\\n' "$1" "$2"
}
SSE_BODY="$(chunk '[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]' null)"
for word in Hello , ' SteerGuard' ' bench' '!'; do
    SSE_BODY+="$(chunk "[{\"index\":0,\"delta\":{\"content\":\"$word\"},\"logprobs\":null,\"finish_reason\":null}]" null)"
done
SSE_BODY+="$(chunk '[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]' null)"
SSE_BODY+="$(chunk '[]' '{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}')"
SSE_BODY+='data: [DONE]\n\n'
# The same answer as one non-streamed body (vLLM's chat.completion shape), for the JSON paths.
JSON_BODY='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-upstream","choices":[{"index":0,"message":{"role":"assistant","content":"Hello, SteerGuard bench!"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}'

nginx_common() { # $1 = name
    cat <<EOF
worker_processes 2;
daemon off;
pid $WORK/$1.pid;
error_log $WORK/$1-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/$1-body;
    proxy_temp_path $WORK/$1-proxy;
    fastcgi_temp_path $WORK/$1-fastcgi;
    uwsgi_temp_path $WORK/$1-uwsgi;
    scgi_temp_path $WORK/$1-scgi;
    keepalive_requests 10000000;
    keepalive_timeout 60s;
EOF
}
{
    nginx_common upstream
    cat <<EOF
    server {
        listen 127.0.0.1:$UP_PORT backlog=4096;
        location = /v1/chat/completions {
            default_type text/event-stream;
            return 200 '$SSE_BODY';
        }
        location = /json/v1/chat/completions {
            default_type application/json;
            return 200 '$JSON_BODY';
        }
    }
}
EOF
} > "$WORK/upstream.conf"
{
    nginx_common proxy
    cat <<EOF
    upstream fake_llm {
        server 127.0.0.1:$UP_PORT;
        keepalive 64;
        keepalive_requests 10000000;
    }
    server {
        listen 127.0.0.1:$PROXY_PORT backlog=4096;
        location / {
            proxy_pass http://fake_llm;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
        }
    }
}
EOF
} > "$WORK/proxy.conf"

mkdir -p "$WORK/config"
KEY_SHA=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
cat > "$WORK/config/bench.yaml" <<EOF
apiVersion: steerguard.io/v1
kind: Runtime
metadata: {name: bench}
spec: {type: openai, baseUrl: "http://127.0.0.1:$UP_PORT/v1", upstreamModel: bench-upstream}
---
apiVersion: steerguard.io/v1
kind: Runtime
metadata: {name: bench-json}
spec: {type: openai, baseUrl: "http://127.0.0.1:$UP_PORT/json/v1", upstreamModel: bench-upstream}
---
apiVersion: steerguard.io/v1
kind: Tenant
metadata: {name: bench}
spec:
  apiKeys: [{sha256: $KEY_SHA, description: benchmark key}]
  models: {bench: {}, bench-json: {}}
EOF
MESSAGES='"messages":[{"role":"user","content":"Say hello to the benchmark."}]'
printf '{"model":"bench","stream":true,"stream_options":{"include_usage":true},"max_tokens":16,%s}' "$MESSAGES" > "$WORK/stream.json"
printf '{"model":"bench","max_tokens":16,%s}' "$MESSAGES" > "$WORK/json.json"
printf '{"model":"bench-json","max_tokens":16,%s}' "$MESSAGES" > "$WORK/jsonup.json"

for kind in stream json jsonup; do
    lua_body=$(sed 's/\\/\\\\/g; s/"/\\"/g' "$WORK/$kind.json")
    cat > "$WORK/$kind.lua" <<EOF
wrk.method = "POST"
wrk.body = "$lua_body"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
done = function(summary, latency, requests)
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format("SAT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f errors=%d\n",
        summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
        e.connect + e.read + e.write + e.status + e.timeout))
end
EOF
done

wait_for_quiet() {
    local waited=0
    while awk -v l="$(load1)" -v w="$WAIT_LOAD" 'BEGIN{exit !(l >= w)}' && [ $waited -lt "$WAIT_LOAD_MAX" ]; do
        log "waiting for the 1-minute load average to drop below $WAIT_LOAD ($waited s of $WAIT_LOAD_MAX s)"
        sleep 60
        waited=$((waited + 60))
    done
}
# Other work on this machine skews every number: wait for it (bounded) before starting ours.
wait_for_quiet

# ---- start the servers ---------------------------------------------------------------------------
"$NGINX" -p "$WORK" -c "$WORK/upstream.conf" 2>"$WORK/upstream.out" &
PIDS+=($!)
UP_MASTER=$!
"$NGINX" -p "$WORK" -c "$WORK/proxy.conf" 2>"$WORK/proxy.out" &
PIDS+=($!)
PROXY_MASTER=$!
# shellcheck disable=SC2086
env STEERGUARD_CONFIG_PATHS="$WORK/config" DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    java $JAVA_OPTS -Dquarkus.http.port=$GW_PORT -Dquarkus.http.host=127.0.0.1 \
    -jar "$GATEWAY_APP/quarkus-run.jar" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)

URL_DIRECT=http://127.0.0.1:$UP_PORT/v1/chat/completions
URL_PROXY=http://127.0.0.1:$PROXY_PORT/v1/chat/completions
URL_DIRECT_JSON=http://127.0.0.1:$UP_PORT/json/v1/chat/completions
URL_PROXY_JSON=http://127.0.0.1:$PROXY_PORT/json/v1/chat/completions
URL_GW=http://127.0.0.1:$GW_PORT/v1/chat/completions
post() { # $1 = url, $2 = body kind
    curl -s --max-time 5 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        --data-binary @"$WORK/$2.json" "$1"
}
ready=0
for _ in $(seq 120); do
    if post "$URL_GW" json 2>/dev/null | grep -q '"finish_reason":"stop"'; then ready=1; break; fi
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.5
done
if [ $ready -ne 1 ]; then
    echo "the gateway did not answer; its log:" >&2
    tail -40 "$WORK/gateway.log" >&2
    exit 1
fi
for url in "$URL_DIRECT" "$URL_PROXY" "$URL_GW"; do
    post "$url" stream | tail -c 16 | grep -q 'data: \[DONE\]' || { echo "no SSE stream from $url" >&2; exit 1; }
done
{
    echo "== direct (also what the proxy relays) =="; post "$URL_DIRECT" stream
    echo "== gateway, stream =="; post "$URL_GW" stream
    echo "== gateway, non-stream =="; post "$URL_GW" json; echo
    echo "== direct, JSON =="; post "$URL_DIRECT_JSON" json; echo
    echo "== gateway, non-stream, JSON upstream =="; post "$URL_GW" jsonup; echo
} > "$OUT_DIR/responses.txt"
post "$URL_GW" jsonup | grep -q '"finish_reason":"stop"' \
    || log "WARNING: this gateway build does not answer from a JSON upstream (gateway-json-up will count errors)"
jcmd "$GW_PID" VM.flags > "$OUT_DIR/jvm-flags.txt" 2>&1 || true
GC_NAME=$(tr ' ' '\n' < "$OUT_DIR/jvm-flags.txt" | grep -E '^-XX:\+Use[A-Za-z0-9]+GC$' | head -1 || true)
log "servers up: upstream :$UP_PORT, nginx proxy :$PROXY_PORT, gateway :$GW_PORT (pid $GW_PID)"

# ---- helpers -------------------------------------------------------------------------------------
open_loop() { # $1 label, $2 url, $3 body kind, $4 rate, $5 duration, $6 warmup
    local expect='[DONE]'
    [ "$3" != stream ] && expect='"finish_reason":"stop"'
    timeout $(( $5 + $6 + 60 )) java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$BENCH_CP" \
        io.steerguard.bench.OpenLoopLoad --label="$1" --url="$2" --body="$WORK/$3.json" --key="$KEY" \
        --rate="$4" --duration="$5" --warmup="$6" --connections=64 --expect="$expect" 2>>"$OUT_DIR/loadgen.err" \
        | grep '^RESULT' || echo "RESULT label=$1 failed=1"
}
cpu_ticks() { # summed utime+stime (clock ticks) of the given pids
    local total=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo $total
}
server_pids() { # $1 = path name: the processes serving it (nginx masters' workers and the gateway)
    case $1 in
        direct*) pgrep -P "$UP_MASTER" ;;
        proxy*) pgrep -P "$UP_MASTER"; pgrep -P "$PROXY_MASTER" ;;
        gateway*) pgrep -P "$UP_MASTER"; echo "$GW_PID" ;;
    esac
}
saturate() { # $1 label, $2 url, $3 body kind, $4 duration
    local pids before after line hz
    pids=$(server_pids "$1" | tr '\n' ' ')
    # shellcheck disable=SC2086
    before=$(cpu_ticks $pids)
    # wrk runs in a subshell whose `times` (a builtin: no fork, so it sees its own children) then
    # reports the CPU that wrk used
    line=$(timeout $(( $4 + 30 )) wrk -t"$WRK_THREADS" -c"$SAT_CONNECTIONS" -d"$4"s --timeout 10s \
        -s "$WORK/$3.lua" "$2" 2>>"$OUT_DIR/loadgen.err" > "$WORK/wrk.out"; times > "$WORK/wrk.times"
        grep '^SAT' "$WORK/wrk.out" || echo "SAT failed=1")
    # shellcheck disable=SC2086
    after=$(cpu_ticks $pids)
    hz=$(getconf CLK_TCK)
    echo "$line label=$1 server_cpu_s=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN{printf "%.2f", t/hz}')" \
        "client_cpu_s=$(tail -1 "$WORK/wrk.times" | awk '{ n = 0; for (i = 1; i <= 2; i++) {
            split($i, a, "m"); sub("s", "", a[2]); n += a[1] * 60 + a[2] }; printf "%.2f", n }')"
}
per_request() { # $1 SAT line, $2 key holding CPU seconds: microseconds per request
    awk -v c="$(field "$1" "$2")" -v n="$(field "$1" requests)" 'BEGIN{if (n > 0) printf "%.0f", c * 1e6 / n}'
}
field() { # $1 line, $2 key
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"
}


# ---- warm-up: JIT-compile the gateway's paths before anything is recorded ------------------------
log "warming up the gateway (${GW_WARMUP}s streaming, ${GW_WARMUP}s non-streaming, then wrk)"
open_loop warmup-stream "$URL_GW" stream 1000 "$GW_WARMUP" 0 >/dev/null
open_loop warmup-json "$URL_GW" json 1000 "$GW_WARMUP" 0 >/dev/null
saturate gateway-stream "$URL_GW" stream 5 >/dev/null
saturate gateway-json "$URL_GW" json 5 >/dev/null
saturate gateway-json-up "$URL_GW" jsonup 5 >/dev/null

# ---- measurements --------------------------------------------------------------------------------
RAW="$OUT_DIR/raw.txt"
: > "$RAW"
PATHS=("direct $URL_DIRECT stream" "proxy $URL_PROXY stream" "gateway-stream $URL_GW stream"
    "direct-json $URL_DIRECT_JSON json" "proxy-json $URL_PROXY_JSON json" "gateway-json $URL_GW json"
    "gateway-json-up $URL_GW jsonup")
for round in $(seq "$ROUNDS"); do
    for rate in $RATES; do
        for p in "${PATHS[@]}"; do
            read -r name url kind <<<"$p"
            l=$(load1)
            log "round $round, open loop: $name at $rate req/s for ${DURATION}s"
            echo "$(open_loop "$name" "$url" "$kind" "$rate" "$DURATION" "$WARMUP") load1=$l round=$round" | tee -a "$RAW" >&2
        done
    done
    for p in "${PATHS[@]}"; do
        read -r name url kind <<<"$p"
        l=$(load1)
        log "round $round, saturation: $name, $SAT_CONNECTIONS connections, ${SAT_DURATION}s"
        echo "$(saturate "$name" "$url" "$kind" "$SAT_DURATION") load1=$l round=$round" | tee -a "$RAW" >&2
    done
done

# ---- report --------------------------------------------------------------------------------------
RESULTS="$OUT_DIR/results.md"
{
    echo "Run $(date -u +%FT%TZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "$(java -version 2>&1 | head -1), nginx $("$NGINX" -v 2>&1 | cut -d/ -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)."
    echo
    echo "Fixed rate, open loop ($DURATION s measured per row; latency from each request's scheduled start):"
    echo
    echo "| path | target req/s | achieved | p50 ms | p99 ms | p99.9 ms | TTFB p50 ms | TTFB p99 ms | errors | send lag p99 ms | load1 |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    grep '^RESULT' "$RAW" | while read -r line; do
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(field "$line" label)" \
            "$(field "$line" target_rps)" "$(field "$line" achieved_rps)" "$(field "$line" p50_ms)" \
            "$(field "$line" p99_ms)" "$(field "$line" p999_ms)" "$(field "$line" ttfb_p50_ms)" \
            "$(field "$line" ttfb_p99_ms)" "$(field "$line" errors)" "$(field "$line" lag_p99_ms)" "$(field "$line" load1)"
    done
    echo
    echo "Saturation, closed loop (wrk, $WRK_THREADS thread, $SAT_CONNECTIONS keep-alive connections, $SAT_DURATION s):"
    echo
    echo "| path | req/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU µs/req | wrk CPU µs/req | load1 |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    grep '^SAT' "$RAW" | while read -r line; do
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(field "$line" label)" "$(field "$line" rps)" \
            "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" p999_ms)" "$(field "$line" errors)" \
            "$(per_request "$line" server_cpu_s)" "$(per_request "$line" client_cpu_s)" "$(field "$line" load1)"
    done
    echo
    # per round: the gateway against the nginx anchor of the same kind, measured in the same round
    get() { grep "^$1 .*label=$2 " "$RAW" | grep -E -- " round=$ROUND( |\$)" | grep -- "$3" | head -1; }
    sat() { field "$(get SAT "$1" '')" rps; }
    fixed() { field "$(get RESULT "$1" "target_rps=$2 ")" "$3"; }
    pathcpu() { local l; l=$(get SAT "$1" ''); awk -v a="$(per_request "$l" server_cpu_s)" -v b="$(per_request "$l" client_cpu_s)" 'BEGIN{print a + b}'; }
    top=$(echo "$RATES" | tr ' ' '\n' | sort -n | tail -1)
    echo "Against the targets, per round (\"added\" = path minus direct of the same kind, same round; the top"
    echo "fixed rate is $top req/s; non-stream anchors are direct-json and proxy-json, the same answer as one JSON body):"
    echo
    echo "| round | measure | stream: nginx proxy | stream: gateway | non-stream: nginx proxy | non-stream: gateway, JSON upstream | non-stream: gateway, SSE upstream | target | met (stream / non-stream JSON up) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---|---|"
    for ROUND in $(seq "$ROUNDS"); do
        awk -v r="$ROUND" -v d="$(sat direct)" -v p="$(sat proxy)" -v s="$(sat gateway-stream)" \
            -v dj="$(sat direct-json)" -v pj="$(sat proxy-json)" -v ju="$(sat gateway-json-up)" -v js="$(sat gateway-json)" \
            -v cp="$(pathcpu proxy)" -v cs="$(pathcpu gateway-stream)" -v cpj="$(pathcpu proxy-json)" \
            -v cju="$(pathcpu gateway-json-up)" -v cjs="$(pathcpu gateway-json)" 'BEGIN{
            printf "| %s | saturation req/s / direct | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx | | |\n", r, p/d, s/d, pj/dj, ju/dj, js/dj
            printf "| %s | saturation req/s / nginx proxy | 1.00x | %.2fx | 1.00x | %.2fx | %.2fx | >= 0.75x | %s / %s |\n", r, s/p, ju/pj, js/pj,
                (s/p >= 0.75 ? "yes" : "no"), (ju/pj >= 0.75 ? "yes" : "no")
            printf "| %s | CPU per request (servers + wrk), proxy / path | 1.00x | %.2fx | 1.00x | %.2fx | %.2fx | >= 0.75x | %s / %s |\n", r,
                cp/cs, cpj/cju, cpj/cjs, (cp/cs >= 0.75 ? "yes" : "no"), (cpj/cju >= 0.75 ? "yes" : "no") }'
        # Latency targets need a generator that sent on time: past 1 ms of its own lag, tails measure the machine.
        lag=$(for n in direct proxy gateway-stream direct-json proxy-json gateway-json-up gateway-json; do fixed "$n" "$top" lag_p99_ms; done | sort -g | tail -1)
        for q in p50_ms p99_ms; do
            awk -v r="$ROUND" -v q="$q" -v lag="$lag" -v d="$(fixed direct "$top" "$q")" -v p="$(fixed proxy "$top" "$q")" \
                -v s="$(fixed gateway-stream "$top" "$q")" -v dj="$(fixed direct-json "$top" "$q")" \
                -v pj="$(fixed proxy-json "$top" "$q")" -v ju="$(fixed gateway-json-up "$top" "$q")" \
                -v js="$(fixed gateway-json "$top" "$q")" 'BEGIN{
                ap = p - d; as = s - d; apj = pj - dj; aju = ju - dj; ajs = js - dj
                busy = lag > 1.0
                if (q == "p50_ms") printf "| %s | added p50, ms | %.3f | %.3f (%.2fx) | %.3f | %.3f (%.2fx) | %.3f (%.2fx) | <= 1.5x nginx | %s / %s |\n", r, ap, as, as/ap, apj, aju, aju/apj, ajs, ajs/apj, (as <= 1.5*ap ? "yes" : "no"), (aju <= 1.5*apj ? "yes" : "no")
                if (q == "p99_ms") printf "| %s | added p99, ms | %.3f | %.3f | %.3f | %.3f | %.3f | <= 1 ms | %s |\n", r, ap, as, apj, aju, ajs,
                    (busy ? sprintf("not measurable: the generator itself sent up to %.1f ms late (p99)", lag) : ((as <= 1 ? "yes" : "no") " / " (aju <= 1 ? "yes" : "no"))) }'
        done
    done
    echo
    echo "Gateway JVM: ${JAVA_OPTS:-no extra flags}; GC ${GC_NAME:-unknown} (all flags: jvm-flags.txt)."
} > "$RESULTS"

# ---- profile -------------------------------------------------------------------------------------
if [ "$PROFILE" = 1 ] && command -v jcmd >/dev/null; then
    # JFR's "profile" settings, sampling Java stacks every 1 ms and up to 1000 allocations/s
    settings=profile
    if jfr configure --input profile.jfc --output "$WORK/bench.jfc" jdk.ExecutionSample#period=1ms \
        jdk.ObjectAllocationSample#throttle=1000/s >/dev/null 2>&1; then
        settings="$WORK/bench.jfc"
    fi
    for kind in stream json jsonup; do
        log "profiling the gateway with JFR under saturation ($kind)"
        jcmd "$GW_PID" JFR.start name=bench settings="$settings" filename="$OUT_DIR/gateway-$kind.jfr" >/dev/null
        line=$(saturate "gateway-$kind" "$URL_GW" "$kind" "$SAT_DURATION")
        jcmd "$GW_PID" JFR.stop name=bench >/dev/null
        echo "$line" > "$OUT_DIR/profile-$kind-load.txt"
        java -cp "$BENCH_CP" io.steerguard.bench.JfrTop "$OUT_DIR/gateway-$kind.jfr" 20 "$(field "$line" requests)" \
            > "$OUT_DIR/profile-$kind.md"
    done
    echo "JFR profiles: $OUT_DIR/profile-stream.md, $OUT_DIR/profile-json.md, $OUT_DIR/profile-jsonup.md" >> "$RESULTS"
fi

cat "$RESULTS"
log "results in $OUT_DIR"
