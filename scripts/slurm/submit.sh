#!/usr/bin/env bash
# Submits a sharded hashmigrate batch to Slurm: a job array of N shards (shards.sbatch), then the merge
# (merge.sbatch), which starts only when every shard has succeeded (afterok) and is cancelled if one
# fails. Logs go to SHARD_ROOT/logs.
#
#   scripts/slurm/submit.sh CONFIG N SHARD_ROOT OUT [run options, e.g. --replicates 1000]
#
# Extra sbatch options for both jobs (partition, account, time) can be given in SBATCH_OPTIONS,
# e.g. SBATCH_OPTIONS="--partition=short --account=proj42".
set -euo pipefail

usage="usage: submit.sh CONFIG N SHARD_ROOT OUT [run options]"
config=${1:?$usage}
count=${2:?$usage}
root=${3:?$usage}
out=${4:?$usage}
shift 4
if ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then
  echo "submit.sh: N: \"$count\" is not an integer >= 1" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export HASHMIGRATE_HOME=${HASHMIGRATE_HOME:-$(cd "$here/../.." && pwd)}
read -r -a extra <<< "${SBATCH_OPTIONS:-}"
mkdir -p "$root/logs"

array=$(sbatch --parsable "${extra[@]}" --array="0-$((count - 1))" --output="$root/logs/shard-%a.out" \
  "$here/shards.sbatch" "$config" "$root" "$@")
array=${array%%;*}
merge=$(sbatch --parsable "${extra[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$root/logs/merge.out" "$here/merge.sbatch" "$root" "$out")
merge=${merge%%;*}
echo "submitted shards as job $array (tasks 0-$((count - 1))) and the merge as job $merge (runs when every shard has succeeded)"
