#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Out-of-core training on graph B (issue 21; docs/benchmarks.md, "Graph B (32 M nodes, 6 GiB
# cgroup)"): a 32 M-node generated graph whose 15 GiB feature table cannot sit in the page cache,
# because every run below happens inside a memory cgroup capped at --mem-cap. Measures the raw disk,
# sampling and packing (batched vs naive), and the epoch of the pack at a 10 % cache against the
# 4 KiB-per-row O_DIRECT baseline (pages) and the mmap baseline on the same batches, interleaved over
# --rounds, with the page cache dropped before each run and the load, the cgroup's peak and its
# failure count logged beside each run. Summarise with bench/compare/ooc_summary.py WORK.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/compare/ooc_graph_b.sh [options]
  --data DIR            graph directory (default /work/ooc-data/B)
  --generate            generate it first when missing (outside the cgroup; 15.3 GiB, ~8 min, 6.2 GiB RSS):
                        moegnn-data generate DIR --nodes 32000000 --features 128 --classes 8 --seed 1
  --work DIR            packs, JSON results, runs.log (default <data>-bench)
  --build DIR           build folder with apps/moegnn-train-ooc (default build, else build-dev)
  --mem-cap SIZE        memory cap of the cgroup (default 6G); --no-cgroup runs uncapped
  --batches N           pool size (default 1000: enough that the pool's distinct rows exceed a 10 %
                        cache, so the cache does not hold every row the pool touches)
  --naive-batches N     pool size of the naive-vs-batched packing pair (default: --batches)
  --epoch-batches N     batches per epoch of the pack and pages runs (default 200; 0: whole pool)
  --mmap-batches N      batches per epoch of the mmap run, and of a pack run beside it (default 50)
  --epochs N            epochs per run (default 2); --rounds N (default 3); --first-round N
                        (default 1: numbers the rounds N.., to add rounds to a WORK folder)
  --cache F             hot-row cache, share of the table (default 0.1)
  --threads N           compute threads (default 2)
  --skip-prepare        reuse the pack already in WORK (and skip the in-memory attempt)
  --no-naive            no naive packing run; --no-mmap: no mmap (and its pack) runs
  --in-memory           each round also trains the in-memory epoch on the same batches, OUTSIDE the
                        cap (the table does not fit it; needs RAM for the whole table): the epoch
                        with no feature I/O at all, the floor that no feature path can beat
The cgroup: cgroup v2 (a child of this shell's group, memory.max) when /sys/fs/cgroup is a writable
cgroup2 mount; else cgroup v1 (a child under /sys/fs/cgroup/memory, memory.limit_in_bytes, which
counts the page cache too); else `systemd-run --scope -p MemoryMax=`. The script moves itself into
the group, so every child runs capped. The page cache is dropped before each run
(echo 3 > /proc/sys/vm/drop_caches) when permitted; runs.log says when it is not.
USAGE
}

orig_args=("$@")
data=/work/ooc-data/B work="" build="" cap=6G batches=1000 naive_batches="" epoch_batches=200
mmap_batches=50 epochs=2 rounds=3 cache=0.1 threads=2 generate=0 use_cgroup=1 skip_prepare=0 naive=1 mmap=1 first_round=1 in_memory=0
uncapped=()  # a prefix that runs a command outside the cgroup (set for the in-memory epoch only)
while (($#)); do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --generate) generate=1; shift ;;
    --work) work="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --mem-cap) cap="$2"; shift 2 ;;
    --no-cgroup) use_cgroup=0; shift ;;
    --batches) batches="$2"; shift 2 ;;
    --naive-batches) naive_batches="$2"; shift 2 ;;
    --epoch-batches) epoch_batches="$2"; shift 2 ;;
    --mmap-batches) mmap_batches="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --first-round) first_round="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --skip-prepare) skip_prepare=1; shift ;;
    --no-naive) naive=0; shift ;;
    --no-mmap) mmap=0; shift ;;
    --in-memory) in_memory=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
naive_batches="${naive_batches:-$batches}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "$build" ]]; then
  build="$root/build"; [[ -x "$build/apps/moegnn-train-ooc" ]] || build="$root/build-dev"
fi
bin="$build/apps/moegnn-train-ooc"
[[ -x "$bin" ]] || { echo "no $bin; build the moegnn-train-ooc target" >&2; exit 1; }
work="${work:-${data%/}-bench}"
mkdir -p "$work"
log() { echo "[$(date -u +%H:%M:%S)] load $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$work/runs.log"; }

if [[ ! -f "$data/manifest.npy" ]]; then
  if ((generate)); then
    gen="$build/apps/moegnn-data"
    [[ -x "$gen" ]] || { echo "no $gen; build the moegnn-data target" >&2; exit 1; }
    df -h "$(dirname "$data")" | tee -a "$work/runs.log"
    log "generate $data"
    /usr/bin/time -v "$gen" generate "$data" --nodes 32000000 --features 128 --classes 8 --seed 1 \
      2>&1 | tee -a "$work/runs.log"
  else
    echo "no graph at $data; pass --generate" >&2; exit 1
  fi
fi
df -h "$data" | tee -a "$work/runs.log"

# --- the memory cgroup ---------------------------------------------------------------------------
to_bytes() { numfmt --from=iec "$1"; }
cg="" cg_kind="" peak_file=""
reset_peak() { :; }
if ((use_cgroup)); then
  cap_bytes="$(to_bytes "$cap")"
  if [[ -n "${OOC_GRAPH_B_SCOPED:-}" ]]; then
    cg_kind="systemd-run scope, MemoryMax=$cap_bytes"
  elif [[ -f /sys/fs/cgroup/cgroup.controllers && -w /sys/fs/cgroup ]]; then
    cg="/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)/ooc-graph-b-$$"
    mkdir "$cg" && echo "$cap_bytes" > "$cg/memory.max" && echo $$ > "$cg/cgroup.procs"
    cg_kind="cgroup v2 $cg (memory.max = $cap_bytes)"; peak_file="$cg/memory.peak"
  elif [[ -d /sys/fs/cgroup/memory && -w /sys/fs/cgroup/memory ]]; then
    cg="/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)"
    cg="${cg%/}/ooc-graph-b-$$"
    mkdir "$cg" && echo "$cap_bytes" > "$cg/memory.limit_in_bytes" && echo $$ > "$cg/cgroup.procs"
    cg_kind="cgroup v1 $cg (memory.limit_in_bytes = $(cat "$cg/memory.limit_in_bytes"))"
    peak_file="$cg/memory.max_usage_in_bytes"
    reset_peak() { echo 0 > "$cg/memory.max_usage_in_bytes"; echo 0 > "$cg/memory.failcnt"; }
  elif command -v systemd-run > /dev/null; then
    log "systemd-run --scope -p MemoryMax=$cap_bytes"
    OOC_GRAPH_B_SCOPED=1 exec systemd-run --scope -E OOC_GRAPH_B_SCOPED=1 -p MemoryMax="$cap_bytes" \
      "$0" "${orig_args[@]}"
  else
    echo "cannot make a memory cgroup (no writable cgroup v2/v1, no systemd-run); --no-cgroup to run uncapped" >&2
    exit 1
  fi
  log "memory cap: $cg_kind"
  cleanup() {
    if [[ -n "$cg" && -d "$cg" ]]; then  # leave the group, then remove it
      echo $$ > "$(dirname "$cg")/cgroup.procs" 2>/dev/null || true
      rmdir "$cg" 2>/dev/null || true
    fi
  }
  trap cleanup EXIT
fi
cg_report() {
  [[ -n "$peak_file" && -r "$peak_file" ]] || return 0
  local fail=""; [[ -r "$cg/memory.failcnt" ]] && fail=", failcnt $(cat "$cg/memory.failcnt")"
  [[ -r "$cg/memory.events" ]] && fail=", $(grep -E '^(max|oom_kill) ' "$cg/memory.events" | tr '\n' ' ')"
  log "  cgroup peak $(( $(cat "$peak_file") / 1048576 )) MiB$fail"
}
drop_caches() {
  sync
  if ! (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
    log "  (drop_caches not permitted: page cache not dropped)"
  fi
}
run() {  # name, command...
  local name="$1"; shift
  drop_caches; reset_peak
  log "$name"
  local rc=0
  "$@" 2>&1 | tee -a "$work/runs.log" || rc=$?
  ((rc == 0)) || log "  $name exited with $rc"
  cg_report
}

# --- raw disk ------------------------------------------------------------------------------------
feat="$data/features.npy"
drop_caches
log "raw disk: sequential 1 MiB O_DIRECT reads (2 GiB)"
dd if="$feat" of=/dev/null bs=1M count=2048 iflag=direct 2>&1 | tail -1 | tee -a "$work/runs.log"
log "raw disk: random 4 KiB O_DIRECT reads, queue depth 1 (20,000 reads over the table)"
python3 - "$feat" <<'PY' 2>&1 | tee -a "$work/runs.log"
import mmap, os, random, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
pages = os.fstat(fd).st_size // 4096
buf = mmap.mmap(-1, 4096)
rng = random.Random(1)
offs = [rng.randrange(pages) * 4096 for _ in range(20000)]
t = time.perf_counter()
for o in offs:
    os.preadv(fd, [buf], o)
s = time.perf_counter() - t
print(f"{len(offs)} random 4 KiB reads in {s:.2f} s: {len(offs) / s:.0f} IOPS, {len(offs) * 4096 / s / 1e6:.1f} MB/s")
PY

# --- prepare: batched (the pack trained on) and naive ------------------------------------------
# shellcheck disable=SC2054  # "10,5" is one argument
common=(--data "$data" --fanouts 10,5 --batch-size 1024 --memory-mb 512 --cache-fraction "$cache")
if ((!skip_prepare)); then
  run "prepare batched cache=$cache batches=$batches" "$bin" --threads "$threads" \
    --out "$work/prepare-batched-$cache.json" prepare "${common[@]}" --max-batches "$batches" \
    --pack "$work/pack-$cache"
  if ((naive && naive_batches != batches)); then
    run "prepare batched cache=$cache batches=$naive_batches (the naive pair)" "$bin" \
      --threads "$threads" --out "$work/prepare-batched-$cache-n$naive_batches.json" prepare \
      "${common[@]}" --max-batches "$naive_batches" --pack "$work/pack-naive-pair"
  fi
  if ((naive)); then
    run "prepare naive cache=$cache batches=$naive_batches" "$bin" --threads "$threads" \
      --out "$work/prepare-naive-$cache-n$naive_batches.json" prepare "${common[@]}" \
      --max-batches "$naive_batches" --naive --pack "$work/pack-naive"
  fi
  rm -rf "$work/pack-naive" "$work/pack-naive-pair"  # only their timings matter
fi
"$bin" info --pack "$work/pack-$cache" | tee -a "$work/runs.log"

# --- the in-memory epoch cannot run under the cap (the table is larger than it) -----------------
if ((use_cgroup && !skip_prepare)); then
  run "train memory (expected to fail under the cap)" "$bin" --threads "$threads" \
    --out "$work/train-memory-attempt.json" train --data "$data" --pack "$work/pack-$cache" \
    --features memory --epochs 1 --batches-per-epoch 1 --eval-nodes 100 --no-progress
fi

# --- epochs: pack vs pages vs mmap on the same batches, interleaved over rounds ------------------
train() {  # name, extra args...
  local name="$1"; shift
  run "train $name round $r" "${uncapped[@]}" "$bin" --threads "$threads" --out "$work/train-$name-r$r.json" train \
    --data "$data" --pack "$work/pack-$cache" --epochs "$epochs" --eval-nodes 1000 --no-progress "$@"
}
for ((r = first_round; r < first_round + rounds; ++r)); do
  train "pack-$cache-b$epoch_batches" --batches-per-epoch "$epoch_batches"
  train "pages-$cache-b$epoch_batches" --features pages --batches-per-epoch "$epoch_batches"
  if ((in_memory)); then  # a subshell that leaves the cgroup for its parent, then runs uncapped
    uncapped=(); [[ -n "$cg" ]] && uncapped=(bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$(dirname "$cg")")
    train "memory-$cache-b$epoch_batches" --features memory --batches-per-epoch "$epoch_batches"
    uncapped=()
  fi
  if ((mmap)); then
    train "pack-$cache-b$mmap_batches" --batches-per-epoch "$mmap_batches"
    train "mmap-$cache-b$mmap_batches" --features mmap --drop-page-cache --batches-per-epoch "$mmap_batches"
  fi
done
log "done; summary: python3 bench/compare/ooc_summary.py $work"
python3 "$root/bench/compare/ooc_summary.py" "$work" | tee -a "$work/runs.log"
