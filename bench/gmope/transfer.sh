#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The GMoPE transfer experiments of docs/results.md ("GMoPE (issue 20)"): for each target, pretrain
# GMoPE on the other source graphs (and a single-backbone model, experts=1 prompt-dim=0, for the
# full / gpf / gpf-plus arms; and GMoPE without the orthogonality term for the entropy ablation),
# then fine-tune the seven arms for --runs seeds, 5-shot and on the standard split.
#   bench/gmope/transfer.sh [--help] [--build DIR] [--out DIR] [--runs N] [--pretrain-epochs N]
#                           [--targets "cora texas"] [--pool "cora citeseer ..."] [--graph]
#                           [--graph-targets "enzymes mutag proteins"] [--link] [--no-node]
# --graph also runs graph classification, the target rotating over --graph-targets (default
# "enzymes mutag proteins") and pretraining on the other two TU sets; --link
# also link prediction (ROC-AUC) on each target; --no-node skips node classification. Existing
# checkpoints in --out are reused.
# Fine-tuning: FT_EPOCHS (150) and FT_PATIENCE (30) from the environment.
# Needs MOEGNN_DATA_DIR (default /work/shared/datasets). Long: run under nice.
set -euo pipefail
build=build; [ -d "$build/apps" ] || build=build-dev
out=gmope-results
runs=5
pepochs=40
targets="cora texas"
pool="cora citeseer chameleon texas wisconsin cornell"
graph=0
graph_targets="enzymes mutag proteins"
link=0
node=1
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pretrain-epochs) pepochs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --graph) graph=1; shift ;;
    --graph-targets) graph=1; graph_targets=$2; shift 2 ;;
    --link) link=1; shift ;;
    --no-node) node=0; shift ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
export MOEGNN_DATA_DIR=${MOEGNN_DATA_DIR:-/work/shared/datasets}
bin=$build/apps/moegnn-gmope
mkdir -p "$out"
common=(--threads 1 --quiet)

pretrain_all() {  # $1: tag, $2: comma-separated sources: GMoPE and the single backbone
  local tag=$1 sources=$2
  [ -s "$out/gm_$tag.safetensors" ] && [ -s "$out/bb_$tag.safetensors" ] && return 0  # reuse
  "$bin" pretrain "${common[@]}" --sources "$sources" --pretrain-epochs "$pepochs" \
    --save "$out/gm_$tag.safetensors" --out "$out/pretrain_gm_$tag.json" > "$out/pretrain_gm_$tag.txt"
  "$bin" pretrain "${common[@]}" --sources "$sources" --pretrain-epochs "$pepochs" --experts 1 \
    --prompt-dim 0 --save "$out/bb_$tag.safetensors" --out "$out/pretrain_bb_$tag.json" \
    > "$out/pretrain_bb_$tag.txt"
}

ablation() {  # GMoPE pretrained without the orthogonality term (expert-usage entropy)
  local tag=$1 sources=$2
  [ -s "$out/gm0_$tag.safetensors" ] && return 0
  "$bin" pretrain "${common[@]}" --sources "$sources" --pretrain-epochs "$pepochs" --orth-weight 0 \
    --save "$out/gm0_$tag.safetensors" --out "$out/pretrain_gm0_$tag.json" > "$out/pretrain_gm0_$tag.txt"
}

ft=(--epochs "${FT_EPOCHS:-150}" --patience "${FT_PATIENCE:-30}")
for t in $targets; do
  sources=$(for s in $pool; do [ "$s" = "$t" ] || printf '%s,' "$s"; done | sed 's/,$//')
  pretrain_all "$t" "$sources"
  shots_list="5 0"; [ "$node" = 1 ] || shots_list=""
  for shots in $shots_list; do
    "$bin" finetune "${common[@]}" --checkpoint "$out/gm_$t.safetensors" --backbone "$out/bb_$t.safetensors" \
      --target "$t" --task node --shots "$shots" --runs "$runs" "${ft[@]}" --out "$out/ft_${t}_node_$shots.json" \
      > "$out/ft_${t}_node_$shots.txt"
  done
  if [ "$link" = 1 ]; then
    "$bin" finetune "${common[@]}" --checkpoint "$out/gm_$t.safetensors" --backbone "$out/bb_$t.safetensors" \
      --target "$t" --task link --runs "$runs" "${ft[@]}" --out "$out/ft_${t}_link.json" > "$out/ft_${t}_link.txt"
  fi
  ablation "$t" "$sources"
done

if [ "$graph" = 1 ]; then
  for t in $graph_targets; do
    sources=$(for s in enzymes mutag proteins; do [ "$s" = "$t" ] || printf '%s,' "$s"; done | sed 's/,$//')
    pretrain_all "tu_$t" "$sources"
    "$bin" finetune "${common[@]}" --checkpoint "$out/gm_tu_$t.safetensors" --backbone "$out/bb_tu_$t.safetensors" \
      --target "$t" --task graph --runs "$runs" "${ft[@]}" --out "$out/ft_${t}_graph.json" > "$out/ft_${t}_graph.txt"
    ablation "tu_$t" "$sources"
  done
fi
echo "done: $out"
