#!/usr/bin/env bash
# Only the JMH microbenchmarks of the per-request path (bench/jmh), with the usual report:
#
#   bench/run-jmh.sh                          all of them, short runs (-wi 3 -i 5 -f 1 -w 1s -r 1s -prof gc)
#   bench/run-jmh.sh ModuleRunBenchmark       JMH options and a benchmark regex, instead of the defaults
#
# Results: bench/results/<date>-<time>/jmh.txt, jmh.json and report.md.
set -euo pipefail
if [ "$#" -gt 0 ]; then
  case "$1" in
    -*) export BENCH_JMH_ARGS="$*" ;;
    *)  export BENCH_JMH_ARGS="-wi 3 -i 5 -f 1 -w 1s -r 1s -prof gc $*" ;;
  esac
fi
exec "$(dirname "$0")/run.sh" jmh
