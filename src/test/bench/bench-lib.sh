# Shared start-up for the bench scripts (sourced, not run): strict mode, a trap that names the
# step a script stopped in, and build steps that keep their output in a log and show its end when
# they fail. Nothing here works offline on purpose: on a clean clone Maven must be able to fetch
# its plugins (e.g. the dependency plugin) the first time, and a failure must say so.
#
#   . "$(dirname "$0")/bench-lib.sh"
#   bench_step "starting nginx"                      # names what runs next, for the trap
#   bench_mvn "compiling the benchmarks" test-compile   # ./mvnw -B -ntp test-compile, logged
#   bench_classpath target/bench-classpath.txt       # the test classpath, resolved and logged
#
# Knobs: MVNW=./mvnw (a different Maven, or `false` to see how a failed build reads),
#        BENCH_LOG_DIR=target/bench-logs (where build logs go).
set -Eeuo pipefail

BENCH_NAME=$(basename "$0" .sh)
BENCH_STEP="starting up"
MVNW=${MVNW:-./mvnw}
BENCH_LOG_DIR=${BENCH_LOG_DIR:-target/bench-logs}

bench_on_error() { # $1 exit status, $2 line, $3 command
    # inside $(...) a failure is the caller's to judge: it reports once it stops the script itself
    [ "$BASH_SUBSHELL" -eq 0 ] || return 0
    echo "$BENCH_NAME: stopped while $BENCH_STEP (line $2: '$3' exited with $1)" >&2
}
trap 'bench_on_error $? $LINENO "$BASH_COMMAND"' ERR

bench_step() { # $1 what runs next
    BENCH_STEP=$1
    echo "$BENCH_NAME: $1" >&2
}

bench_fail() { # $1 why; exits 2
    echo "$BENCH_NAME: $1" >&2
    trap - ERR
    exit 2
}

bench_mvn() { # $1 description, then Maven arguments; output to a log, shown when it fails
    local what=$1 log
    shift
    mkdir -p "$BENCH_LOG_DIR"
    log="$BENCH_LOG_DIR/$BENCH_NAME-$(tr -c 'a-z0-9\n' '-' <<<"$what" | head -c 40).log"
    bench_step "$what ($MVNW -B -ntp $*; log in $log)"
    if ! "$MVNW" -B -ntp "$@" >"$log" 2>&1; then
        echo "$BENCH_NAME: $what failed; the end of $log:" >&2
        tail -40 "$log" >&2
        bench_fail "stopped: Maven failed (network needed on first use to fetch plugins and dependencies)"
    fi
}

bench_classpath() { # $1 output file: the test-scope classpath of the project
    bench_mvn "resolving the test classpath" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$1"
    [ -s "$1" ] || bench_fail "the classpath file $1 is empty after Maven said it wrote it"
}

bench_require() { # tool names (command:debian-package); exits 2 naming every missing one
    local missing=() spec cmd pkg
    for spec in "$@"; do
        cmd=${spec%%:*}
        pkg=${spec#*:}
        command -v "$cmd" >/dev/null || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        bench_fail "missing: ${missing[*]}. Install them from Debian: apt-get update && apt-get install -y ${missing[*]}"
    fi
}
