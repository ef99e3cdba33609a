#!/usr/bin/env bash
# Runs the JMH benchmarks; results go to bench/target/jmh-<set>.json (JMH JSON) and .txt (console).
#
#   bench/run.sh quick [JMH options]   # about 5 minutes on 2 cores: 1 fork, short iterations
#   bench/run.sh full  [JMH options]   # the annotations' forks and iterations, every parameter
#
# Both run with -prof gc (B/op). The jar is built when missing (BUILD=1 forces a rebuild) and copied
# to a temporary directory first, so a concurrent rebuild cannot change it mid-run. The Alibaba trace
# is read from ../shared/data/alibaba-gpu-v2023 relative to the repository root unless BENCH_DATA
# names another directory. Extra arguments go to JMH, e.g. a benchmark regex or -p cluster=openb-1523.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
set_name=${1:-}
case "$set_name" in
  quick|full) shift ;;
  *) echo "usage: $0 quick|full [JMH options]" >&2; exit 2 ;;
esac

jar="$here/target/benchmarks.jar"
if [[ ! -f "$jar" || "${BUILD:-0}" == 1 ]]; then
  (cd "$root" && mvn -q -B package -DskipTests -pl bench -am)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/benchmarks.jar"

data=${BENCH_DATA:-$root/../shared/data/alibaba-gpu-v2023}
out="$here/target/jmh-$set_name"
if [[ "$set_name" == quick ]]; then
  # NumaDecisionBenchmark with 2 zones only; everything else with all its parameters.
  opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
else
  opts=()
fi

cd "$root"
java "-Dkubenexus.bench.data=$data" -jar "$work/benchmarks.jar" "${opts[@]}" -prof gc \
  -rf json -rff "$out.json" "$@" 2>&1 | tee "$out.txt"
echo "results: $out.json, console: $out.txt"
