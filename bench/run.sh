#!/usr/bin/env bash
# The wagi-servlet benchmark, in one command:
#
#   bench/run.sh                 everything: startup, http, hotdeploy, jmh (about 25 minutes, see bench/README.md)
#   bench/run.sh http            only some phases: startup, http, hotdeploy, jmh, cold (= startup + hotdeploy)
#
# Settings (environment variables):
#   BENCH_DURATION=10            seconds wrk drives each case
#   BENCH_WARMUP=5               unreported seconds of load per target before its first case
#   BENCH_CONNECTIONS=1,16,64    connection counts
#   BENCH_JMH_ARGS="-wi 3 -i 5 -f 1 -w 1s -r 1s -prof gc"   JMH's options (add a regex to select benchmarks)
#   BENCH_SERVER_JAVA_OPTS=      JAVA_OPTS for Tomcat's JVM (default: none, the JVM's defaults)
#   BENCH_BIG_SERVER_JAVA_OPTS=-Xmx6g   added to JAVA_OPTS of the servers holding the 20 MB module (Chicory's compile needs GBs)
#   BENCH_ESBUILD_ENGINES=wasmtime,chicory   engines of the esbuild cases: transform (http phase, a Tomcat each) and cold start (startup)
#   BENCH_ESBUILD_CHICORY_REQUESTS=4   requests per connection of each esbuild case on Chicory (seconds of CPU each: no wrk)
#   BENCH_HOP=1                  0: no /nohop webapp (module-stack-size = 0, the thread-hop comparison)
#   BENCH_BASELINE=              results.json of an earlier run: the report checks hello and rust-1m on Chicory against it
#   BENCH_RESULTS=               results folder (default bench/results/<date>-<time>)
#   BENCH_SOURCE=                what the report names as the measured source (default: git commit and state)
#   BENCH_QUIET_WAIT=30          before each case, wait up to this many seconds for other processes to go quiet
#   BENCH_QUIET_BUDGET=150       ... but no more than this many seconds in all
#   BENCH_QUIET_RETRIES=4        how many disturbed cases may be measured again
#
# What it does: installs the tools it needs from Debian if missing (wrk, gcc, npm, fonts for the
# chart), builds with `mvn -Pbench package` (into bench/target, never target/), fetches the big
# Go-built module (npm package @esbuild/wasi-preview1, about 20 MB, kept in bench/target/esbuild)
# and runs dev.wagiservlet.bench.runner.BenchMain. All load goes to 127.0.0.1.
# Output: the table on the console, and report.md, chart.png, results.json, jmh.txt/json and raw/ in the results folder.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH_DIR")
cd "$REPO"

PHASES=${*:-all}
PHASES=${PHASES// /,}
ESBUILD_VERSION=0.27.2
ESBUILD_SHA256=ed4ef442d8db48e201bf5f55b8cd6a8fb65d21bcfa2705cc5a7381ceed33f008

log() { printf '[run.sh] %s\n' "$*"; }

# ---- tools: Debian packages, installed only when missing ----
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ---- build: WAR, harness, bench and JMH classes, Tomcat, class path (all in bench/target) ----
log "building: mvn -Pbench package"
mvn -B -q -Pbench package
CP="$BENCH_DIR/target/test-classes:$BENCH_DIR/target/classes:$(cat "$BENCH_DIR/target/bench-classpath.txt")"
TOMCAT_HOME=$(ls -d "$BENCH_DIR"/target/servers/apache-tomcat-* | head -n 1)

# ---- the big module for the cold-start cases ----
BIG="$BENCH_DIR/target/esbuild/package/esbuild.wasm"
if [[ ",$PHASES," =~ ,(all|startup|http|hotdeploy|cold), ]]; then
  if [ ! -f "$BIG" ] || ! echo "$ESBUILD_SHA256  $BIG" | sha256sum -c --quiet - 2>/dev/null; then
    log "fetching @esbuild/wasi-preview1@$ESBUILD_VERSION with npm pack"
    rm -rf "$BENCH_DIR/target/esbuild"
    mkdir -p "$BENCH_DIR/target/esbuild"
    (cd "$BENCH_DIR/target/esbuild" && npm pack --silent "@esbuild/wasi-preview1@$ESBUILD_VERSION" >/dev/null \
      && tar xzf esbuild-wasi-preview1-$ESBUILD_VERSION.tgz package/esbuild.wasm)
    echo "$ESBUILD_SHA256  $BIG" | sha256sum -c --quiet -
  fi
fi

RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/$(date +%Y-%m-%d-%H%M)}
log "running phases $PHASES; results in $RESULTS"
exec java -Xmx1g -cp "$CP" \
  -Dbench.dir="$BENCH_DIR" \
  -Dbench.modules="$REPO/modules/wasm" \
  -Dbench.work="$BENCH_DIR/target/work" \
  -Dbench.results="$RESULTS" \
  -Dbench.big.module="$( [ -f "$BIG" ] && echo "$BIG" || true)" \
  -Dbench.phases="$PHASES" \
  -Dbench.duration="${BENCH_DURATION:-10}" \
  -Dbench.warmup="${BENCH_WARMUP:-5}" \
  -Dbench.connections="${BENCH_CONNECTIONS:-1,16,64}" \
  -Dbench.jmh.args="${BENCH_JMH_ARGS:--wi 3 -i 5 -f 1 -w 1s -r 1s -prof gc}" \
  -Dbench.server.java.opts="${BENCH_SERVER_JAVA_OPTS:-}" \
  -Dbench.big.server.java.opts="${BENCH_BIG_SERVER_JAVA_OPTS--Xmx6g}" \
  -Dbench.esbuild.engines="${BENCH_ESBUILD_ENGINES-wasmtime,chicory}" \
  -Dbench.esbuild.chicory.requests="${BENCH_ESBUILD_CHICORY_REQUESTS:-4}" \
  -Dbench.hop="${BENCH_HOP:-1}" \
  -Dbench.baseline="${BENCH_BASELINE:-}" \
  -Dbench.command="bench/run.sh${*:+ $*}" \
  -Dbench.source="${BENCH_SOURCE:-}" \
  -Dbench.quiet.wait="${BENCH_QUIET_WAIT:-30}" \
  -Dbench.quiet.budget="${BENCH_QUIET_BUDGET:-150}" \
  -Dbench.quiet.retries="${BENCH_QUIET_RETRIES:-4}" \
  -Dwagi.war="$BENCH_DIR/target/wagi.war" \
  -Dtomcat.home="$TOMCAT_HOME" \
  -Dit.work.dir="$BENCH_DIR/target/servers-work" \
  dev.wagiservlet.bench.runner.BenchMain
