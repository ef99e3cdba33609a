#!/usr/bin/env bash
# Writes the task mixes the GPU fragmentation score is measured on (docs/gpu-fragmentation.md) as pod
# lists of the Alibaba trace's own format, for `simulate --workload`:
#   multi.csv        every multi-GPU task repeated 108 times (75 x 108 = 8,100 rows beside 8,077
#                    others), so that half the tasks drawn ask for 2, 4 or 8 GPUs
#   constrained.csv  every third GPU task (in file order) accepts one GPU model only, the models taken
#                    in turn (A10, G2, G3, P100, T4, V100M16, V100M32): rare models become scarce
#   constrained-by-size.csv  the same, the model drawn in proportion to its GPUs (seeded)
# Usage: bench/mixes.sh [trace directory] [output directory]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-$(dirname "$here")/../shared/data/alibaba-gpu-v2023}
out=${2:-$here/target/mixes}
mkdir -p "$out"
pods="$data/openb_pod_list_default.csv"

awk -F, -v OFS=, 'NR == 1 { print; next }
  $4 >= 2 { for (r = 0; r < 108; r++) { line = $0; sub(/^[^,]*/, $1 "-r" r, line); print line }; next }
  { print }' "$pods" > "$out/multi.csv"

awk -F, -v OFS=, 'BEGIN { split("A10 G2 G3 P100 T4 V100M16 V100M32", models, " ") }
  NR == 1 { print; next }
  $4 > 0 || $5 > 0 { if (gpu++ % 3 == 0) { $6 = models[(k++ % 7) + 1] } }
  { print }' "$pods" > "$out/constrained.csv"

awk -F, -v OFS=, 'NR == FNR { if (FNR > 1 && $4 > 0) { gpus[$5] += $4; total += $4 }; next }
  FNR == 1 { srand(14); print; next }
  $4 > 0 || $5 > 0 { if (gpu++ % 3 == 0) { pick = rand() * total; for (m in gpus) { pick -= gpus[m]; if (pick < 0) { $6 = m; break } } } }
  { print }' "$data/openb_node_list_all_node.csv" "$pods" > "$out/constrained-by-size.csv"

wc -l "$out"/*.csv
