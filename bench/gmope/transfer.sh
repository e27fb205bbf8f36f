#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The GMoPE transfer experiments of docs/results.md ("GMoPE (issue 20)"): for each target, pretrain
# GMoPE on the rest of the pool (and a single-backbone model, experts=1 prompt-dim=0, for the
# full / gpf / gpf-plus arms; and GMoPE without the orthogonality term for the entropy ablation),
# then fine-tune the seven arms for --runs seeds: node 5-shot and standard split, and link AUC.
#   bench/gmope/transfer.sh [--help] [--build DIR] [--out DIR] [--runs N] [--pretrain-epochs N]
#                           [--targets "cora texas"] [--pool "cora citeseer ..."] [--graph]
#                           [--graph-targets "enzymes mutag proteins"] [--no-link] [--no-node]
#                           [--jobs N]
# Targets default to the whole pool (the issue's eight node graphs). --graph adds graph
# classification, the target rotating over --graph-targets, pretrained on the other two TU sets.
# Jobs run --jobs at a time (1 thread each), pretraining first, the longest fine-tunings first.
# Existing checkpoints and results in --out are reused, so an interrupted run resumes; a checkpoint
# pretrained on other sources (or their order) or for other epochs is refused, not reused.
# Fine-tuning from the environment: FT_EPOCHS (150), FT_PATIENCE (30), FT_LR (0.01,0.001) and
# FT_WD (5e-4); lists form a grid that the app searches per arm on mean validation.
# Needs MOEGNN_DATA_DIR (default /work/shared/datasets). Long: run under nice.
set -euo pipefail
build=build; [ -d "$build/apps" ] || build=build-dev
out=gmope-results
runs=5
pepochs=40
pool="fb100-cornell5 twitch-de chameleon cora citeseer cornell texas wisconsin"
targets=""
graph=0
graph_targets="enzymes mutag proteins"
link=1
node=1
jobs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pretrain-epochs) pepochs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --graph) graph=1; shift ;;
    --graph-targets) graph=1; graph_targets=$2; shift 2 ;;
    --no-link) link=0; shift ;;
    --no-node) node=0; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$targets" ] || targets=$pool
export MOEGNN_DATA_DIR=${MOEGNN_DATA_DIR:-/work/shared/datasets}
export BIN=$build/apps/moegnn-gmope OUT=$out RUNS=$runs PEPOCHS=$pepochs
export FT_EPOCHS=${FT_EPOCHS:-150} FT_PATIENCE=${FT_PATIENCE:-30} FT_LR=${FT_LR:-0.01,0.001}
export FT_WD=${FT_WD:-5e-4}
[ -x "$BIN" ] || { echo "no $BIN (build first, or pass --build)" >&2; exit 2; }
mkdir -p "$out"

# One job: "pre TAG SOURCES gm|bb|gm0" or "ft TAG TARGET node|link|graph SHOTS".
job() {
  local common=(--threads 1 --quiet)
  if [ "$1" = pre ]; then
    local tag=$2 sources=$3 kind=$4 extra=()
    if [ -s "$OUT/${kind}_$tag.safetensors" ]; then  # reuse only what this protocol would pretrain
      python3 - "$OUT/pretrain_${kind}_$tag.json" "$sources" "$PEPOCHS" <<'PY' && return 0
import json, sys
path, sources, epochs = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
try:
    o = json.load(open(path))["options"]
except (OSError, ValueError, KeyError) as e:
    sys.exit(f"transfer.sh: cannot read {path} ({e}); remove the checkpoint to pretrain it again")
if o["sources"] != sources or o["pretrain-epochs"] != epochs:
    sys.exit(f"transfer.sh: {path} was pretrained on {','.join(o['sources'])} for "
             f"{o['pretrain-epochs']} epochs vs {','.join(sources)} for {epochs} expected; "
             "remove it (and its checkpoint) to pretrain it again")
PY
      return 1
    fi
    [ "$kind" = bb ] && extra=(--experts 1 --prompt-dim 0)
    [ "$kind" = gm0 ] && extra=(--orth-weight 0)
    "$BIN" pretrain "${common[@]}" --sources "$sources" --pretrain-epochs "$PEPOCHS" "${extra[@]}" \
      --save "$OUT/${kind}_$tag.safetensors" --out "$OUT/pretrain_${kind}_$tag.json" \
      > "$OUT/pretrain_${kind}_$tag.txt"
  else
    local tag=$2 target=$3 task=$4 shots=$5 name
    name=ft_${target}_$task; [ "$task" = node ] && name=${name}_$shots
    [ -s "$OUT/$name.json" ] && return 0
    "$BIN" finetune "${common[@]}" --checkpoint "$OUT/gm_$tag.safetensors" \
      --backbone "$OUT/bb_$tag.safetensors" --target "$target" --task "$task" --shots "$shots" \
      --runs "$RUNS" --epochs "$FT_EPOCHS" --patience "$FT_PATIENCE" --lr "$FT_LR" \
      --weight-decay "$FT_WD" --out "$OUT/$name.json" > "$OUT/$name.txt"
  fi
  echo "$(date +%T) done: $*"
}
export -f job

others() {  # $1: target, $2: pool -> the rest, comma-separated
  for s in $2; do [ "$s" = "$1" ] || printf '%s,' "$s"; done | sed 's/,$//'
}
pre=() ft=()
for t in $targets; do
  for kind in gm bb gm0; do pre+=("pre $t $(others "$t" "$pool") $kind"); done
  [ "$node" = 1 ] && ft+=("ft $t $t node 0" "ft $t $t node 5")
  [ "$link" = 1 ] && ft+=("ft $t $t link 0")
done
if [ "$graph" = 1 ]; then  # after the first target's jobs: the TU runs are long too
  gft=()
  for t in $graph_targets; do
    for kind in gm bb gm0; do pre+=("pre tu_$t $(others "$t" "enzymes mutag proteins") $kind"); done
    gft+=("ft tu_$t $t graph 0")
  done
  ft=("${ft[@]:0:3}" "${gft[@]}" "${ft[@]:3}")
fi
run_all() { printf '%s\n' "$@" | xargs -P "$jobs" -L 1 bash -c 'job "$@"' _; }
run_all "${pre[@]}"
run_all "${ft[@]}"
echo "done: $out"
