#!/usr/bin/env bash
# Runs the JMH benchmarks; results go to bench/target/jmh-<set>.json (JMH JSON) and .txt (console).
#
#   bench/run.sh quick [JMH options]   # about 5 minutes on 2 cores: 1 fork, short iterations
#   bench/run.sh full  [JMH options]   # the annotations' forks and iterations, every parameter
#   bench/run.sh soak  [Soak options]  # 30 min: 100,000 pods through 5,000 nodes with churn (Soak's defaults)
#   bench/run.sh throughput [Soak options]
#                                      # the loop as fast as it goes at 5,000 nodes (2 min), then
#                                      # DecisionBenchmark at 5,000 nodes in the same session
#   bench/run.sh extender [ExtenderLoad options]
#                                      # about 6 min: the extender's filter and prioritize over
#                                      # loopback HTTP, 5,000 NodeNames and 1,000 Node objects, 3 rounds
#
# quick and full run with -prof gc (B/op). The jar is built when missing (BUILD=1 forces a rebuild) and copied
# to a temporary directory first, so a concurrent rebuild cannot change it mid-run. The Alibaba trace
# is read from ../shared/data/alibaba-gpu-v2023 relative to the repository root unless BENCH_DATA
# names another directory. Extra arguments go to JMH (e.g. a benchmark regex or -p cluster=openb-1523)
# or to Soak (e.g. --minutes 5; see docs/benchmarks.md, "Soak").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
set_name=${1:-}
case "$set_name" in
  quick|full|soak|throughput|extender) shift ;;
  *) echo "usage: $0 quick|full|soak|throughput|extender [options]" >&2; exit 2 ;;
esac

jar="$here/target/benchmarks.jar"
if [[ ! -f "$jar" || "${BUILD:-0}" == 1 ]]; then
  (cd "$root" && mvn -q -B package -DskipTests -pl bench -am)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/benchmarks.jar"

cd "$root"
soak=(java -Xmx4g -cp "$work/benchmarks.jar" io.kubenexus.scheduler.bench.soak.Soak)
case "$set_name" in
  soak)
    # The report goes to stdout (and the file), progress to stderr; exits 1 when a check fails.
    "${soak[@]}" "$@" | tee "$here/target/soak.txt"
    exit "${PIPESTATUS[0]}" ;;
  throughput)
    # DecisionBenchmark's pod on its cluster (seed 42, 30 pods per node), as fast as the loop goes,
    # then one decision's p50 at the same size: the overhead is (1 / (pods/s)) / p50 - 1.
    "${soak[@]}" --nodes 5000 --rate max --minutes 2 --seed 42 --pods 1000000000 --sample-seconds 10 "$@" \
      | tee "$here/target/throughput.txt"
    java -jar "$work/benchmarks.jar" '\.DecisionBenchmark' -p cluster=synthetic-5000 -f 1 -wi 3 -w 1s -i 5 -r 1s \
      2>&1 | tee -a "$here/target/throughput.txt"
    exit 0 ;;
  extender)
    # A real server (SchedulerHttpServer, ExtenderRoutes, LoopExtenderBackend) over the loop on
    # 127.0.0.1:0 and a java.net.http client in the same JVM; table to stdout, JSON to
    # bench/target/extender.json (see docs/benchmarks.md, "Extender over HTTP").
    java -Xms2g -Xmx2g -cp "$work/benchmarks.jar" io.kubenexus.scheduler.bench.extender.ExtenderLoad "$@" \
      | tee "$here/target/extender.txt"
    exit "${PIPESTATUS[0]}" ;;
esac

data=${BENCH_DATA:-$root/../shared/data/alibaba-gpu-v2023}
out="$here/target/jmh-$set_name"
if [[ "$set_name" == quick ]]; then
  # NumaDecisionBenchmark with 2 zones only; everything else with all its parameters.
  opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
else
  opts=()
fi

java "-Dkubenexus.bench.data=$data" -jar "$work/benchmarks.jar" "${opts[@]}" -prof gc \
  -rf json -rff "$out.json" "$@" 2>&1 | tee "$out.txt"
echo "results: $out.json, console: $out.txt"
