#!/usr/bin/env bash
# Fault injection over real engine processes on 127.0.0.1: each round runs one batch in direct or balanced mode
# while one fault strikes at a random moment (seeded), then checks that nothing was lost or broken.
#
#   app/scripts/chaos.sh [--rounds N | --long] [--seed S] [--only FAULT[,FAULT...]] [FOLDER]
#
# Faults, each round one of them:
#   kill-engine    SIGKILL one engine mid-batch
#   stop-engine    SIGSTOP one engine past its task deadline (--task-timeout 2s), then SIGCONT
#   stall-task     one image's task never ends on a live engine (the engines' test-only GREYLAB_TEST_STALL_TASK):
#                  the batch must end within that task's deadline + 10 s of the stall, the image converted elsewhere
#   add-engine     a new engine joins the cluster mid-batch
#   kill-client    SIGKILL the client mid-batch, then run the same command again (outputs already there are kept)
#   kill-resume    SIGKILL the client mid-batch, then the same command with --resume (from the batch's journal)
#   delete-output  delete the output folder mid-batch: the batch stops (exit 1), then run again
#   full-disk      the output folder is on a 48 MB tmpfs that a filler fills mid-batch (root only; skipped with the
#                  reason elsewhere): the batch stops (exit 1); the filler is removed and the batch run again
# The fault strikes a random time (the table's +ms) after the first image is done. After each round: every image
# present exactly once and byte-identical to a serial run, no .greylab-*.part file, no engine process of the round
# left behind, and the client's heap (its peak, from its GC log) below CHAOS_HEAP_MB (512). A table of rounds, faults
# and outcomes (images lost, broken, duplicated, orphans, heap peak) is printed, then one line per fault; exit 1 if
# any round failed.
#
# The short form (the default) runs each fault once in each mode, in a few minutes. The long form, --long (or
# CHAOS_ROUNDS=N), runs 20 (N) rounds of each fault, the modes taking turns; CI runs CHAOS_ROUNDS=1.
# Needs a built checkout (mvn -B -DskipTests package). CHAOS_KEEP=1 keeps the work folder with every run's log.
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
greylab="$repo/greylab"
rounds=1
long=""
[[ -n "${CHAOS_ROUNDS:-}" ]] && { rounds="$CHAOS_ROUNDS"; long=1; }
heap_bound_mb="${CHAOS_HEAP_MB:-512}"
seed=$RANDOM
folder=""
only=""
while (( $# )); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --long) rounds=20; long=1; shift ;;
    --seed) seed="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) folder="$1"; shift ;;
  esac
done
[[ -f "$repo/app/target/greylab-app.jar" ]] || { echo "chaos: build first: mvn -B -DskipTests package" >&2; exit 2; }
RANDOM=$seed

work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work/runtime"   # never the user's own running engines
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
mounted=""
cleanup() {
  for f in "$work"/runtime/*.cluster; do
    [[ -f "$f" ]] && "$greylab" engines stop --cluster-file "$f" >/dev/null 2>&1
  done
  pkill -f -- "--name chaos-extra-$$" 2>/dev/null
  [[ -n "$mounted" ]] && umount -l "$mounted" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
keep="${CHAOS_KEEP:-}"   # CHAOS_KEEP=1 keeps the work folder (logs of every run) for a look afterwards
[[ -n "$keep" ]] && trap - EXIT

# The photos: the folder given, else the bundled samples eight times over (long enough for a fault to land mid-batch)
if [[ -z "$folder" ]]; then
  folder="$work/photos"
  for i in 1 2 3 4 5 6 7 8; do mkdir -p "$folder/$i" && cp "$repo"/assets/samples/*.* "$folder/$i/"; done
  rm -f "$folder"/*/*.txt "$folder"/*/*.md
fi
images=$(find "$folder" -type f | wc -l)

echo "chaos: seed $seed, $rounds round(s) of each fault$([[ -n "$long" ]] && echo ', the modes taking turns' || echo ' in each mode'), $images images from $folder; client heap bound $heap_bound_mb MB"
"$greylab" convert "$folder" --output "$work/serial" --overwrite overwrite >"$work/serial.log" 2>&1 \
  || { echo "chaos: the serial reference run failed: $(tail -3 "$work/serial.log")" >&2; exit 2; }
reference="$work/serial"

# Checks a round's output folder against the serial outputs: sets lost, broken, dups and orphans (temporary files and
# engine processes left), and prints "ok" or what is wrong.
check() {
  local out="$1" cluster="$2" problems=()
  local parts; parts=$(find "$out" -name '.greylab-*.part' 2>/dev/null | wc -l)
  lost=0; broken=0; dups=0; orphans=$parts
  while IFS= read -r -d '' f; do
    local rel="${f#"$reference"/}"
    if [[ ! -f "$out/$rel" ]]; then lost=$((lost + 1))
    elif ! cmp -s "$f" "$out/$rel"; then broken=$((broken + 1)); fi
  done < <(find "$reference" -type f ! -path '*/.*' -print0)
  # a duplicate would be a second name for one image (a.png and "a (1).png"): more files than the reference has
  dups=$(( $(find "$out" -type f ! -path '*/.*' 2>/dev/null | wc -l) - ($(find "$reference" -type f ! -path '*/.*' | wc -l) - lost) ))
  (( parts == 0 )) || problems+=("$parts .part file(s)")
  (( lost == 0 )) || problems+=("$lost missing")
  (( broken == 0 )) || problems+=("$broken differ from serial")
  (( dups == 0 )) || problems+=("$dups extra file(s)")
  local waited=0
  while pgrep -f -- "--cluster $cluster" >/dev/null && (( waited < 20 )); do sleep 0.5; waited=$((waited + 1)); done
  local left; left=$(pgrep -f -- "--cluster $cluster" | wc -l)
  if (( left > 0 )); then orphans=$((orphans + left)); problems+=("$left engine process(es) left"); fi
  if (( ${#problems[@]} )); then local IFS=';'; echo "${problems[*]}"; else echo ok; fi
}

# The client's heap peak in MB over a round's runs: the most used before a collection or at exit, from the GC logs.
heap_peak() {
  cat "$work"/gc-"$1"-*.log 2>/dev/null | awk '
    match($0, /[0-9]+M->/) { v = substr($0, RSTART, RLENGTH - 3) + 0; if (v > m) m = v }
    /used [0-9]+K/ { if (match($0, /used [0-9]+K/)) { v = int(substr($0, RSTART + 5, RLENGTH - 6) / 1024); if (v > m) m = v } }
    END { print m + 0 }'
}

# Starts two local engines of a cluster named for the round; prints the cluster file.
start_engines() {
  local file="$work/runtime/r$1.cluster"
  "$greylab" engines start --engines 2 --idle-timeout 5m --cluster-file "$file" >"$work/engines-$1.log" 2>&1 || return 1
  echo "$file"
}

engine_pid() { sed -n 's/^engine-pids=//p' "$1" | tr ',' '\n' | sed -n "$2p"; }

results=()
failed=0
round=0
row_format='%-5s %-14s %-9s %-6s %-5s %-7s %-5s %-8s %-8s %s\n'
# each round's row as it ends (a long form can be followed, and a run stopped early still shows its rounds), then
# the whole table again at the end
add_result() {
  results+=("$1")
  local a b c d e f g h i j
  IFS='|' read -r a b c d e f g h i j <<<"$1"
  printf "$row_format" "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j"
}
printf "$row_format" round fault mode "+ms" lost broken dups orphans "heap MB" outcome
faults=(kill-engine stop-engine stall-task add-engine kill-client kill-resume delete-output full-disk)
# the images stall-task may arm (a folder given may hold other files, which are never sent to an engine)
mapfile -t all_images < <(cd "$folder" && find . -type f -regextype posix-extended \
  -iregex '.*\.(jpe?g|png|gif|bmp|tiff?|webp|heic|heif|avif)' | sed 's:^\./::' | sort)
[[ -n "$only" ]] && IFS=',' read -r -a faults <<<"$only"
for ((r = 1; r <= rounds; r++)); do
  for f in "${!faults[@]}"; do
    fault="${faults[f]}"
    # the long form: a fault's rounds take turns, and so do the faults of one round (CHAOS_ROUNDS=1 meets both modes)
    if [[ -n "$long" ]]; then modes=("$( (((r + f) % 2)) && echo direct || echo balanced)"); else modes=(direct balanced); fi
    for mode in "${modes[@]}"; do
      round=$((round + 1))
      delay_ms=$(( RANDOM % 1200 ))
      out="$work/out-$round"
      if [[ "$fault" == full-disk ]]; then
        disk="$work/disk-$round"; mkdir -p "$disk"
        if ! mount -t tmpfs -o size=48m tmpfs "$disk" 2>/dev/null; then
          add_result "$round|$fault|$mode|-|-|-|-|-|-|skipped: mounting a small file system needs root"
          continue
        fi
        mounted="$disk"; out="$disk/out"
      fi
      stall_marker=""
      if [[ "$fault" == stall-task ]]; then
        # armed in the engines only: the first to take this image holds it for ever
        stall_marker="$work/stall-$round"; stall_image="${all_images[RANDOM % ${#all_images[@]}]}"
        export GREYLAB_TEST_STALL_TASK="$stall_marker:$stall_image"
      fi
      file=$(start_engines "$round"); started=$?
      unset GREYLAB_TEST_STALL_TASK
      (( started == 0 )) || { add_result "$round|$fault|$mode|-|-|-|-|-|-|FAILED: engines did not start"; failed=1; continue; }
      cluster=$(sed -n 's/^cluster=//p' "$file")
      cmd=("$greylab" convert "$folder" --output "$out" --mode "$mode" --cluster-file "$file" --task-timeout 2s)
      # each client run logs its collections: the round's heap peak comes from them
      export GREYLAB_JAVA_OPTS="-Xlog:gc,gc+heap+exit:file=$work/gc-$round-%p.log"
      "${cmd[@]}" >"$work/run-$round.log" 2>&1 &
      client=$!
      # the fault strikes a random time after the first image is done: mid-batch, whatever the client's start-up took
      for _ in $(seq 1 600); do
        grep -q '] converted ' "$work/run-$round.log" 2>/dev/null && break
        kill -0 "$client" 2>/dev/null || break
        sleep 0.05
      done
      sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
      note=""
      # whether the batch was still running when the fault struck: only then does an exit 0 need explaining
      running_at_fault=0; kill -0 "$client" 2>/dev/null && running_at_fault=1
      case "$fault" in
        kill-engine) kill -9 "$(engine_pid "$file" 2)" 2>/dev/null ;;
        stop-engine) p=$(engine_pid "$file" 2); kill -STOP "$p"; sleep 4; kill -CONT "$p" ;;
        add-engine)
          java_cmd=$(tr '\0' ' ' < "/proc/$(engine_pid "$file" 1)/cmdline" | sed "s/ --name local-0 / --name chaos-extra-$$ /; s/--port [0-9]*/--port 0/")
          setsid $java_cmd >"$work/extra-$round.log" 2>&1 & ;;
        kill-client|kill-resume) kill -9 "$client" 2>/dev/null ;;
        # moved away first, then removed: a plain rm -rf races the client's new files, fails with "Directory not
        # empty" and leaves the folder there, so the batch ran on without the fault it was meant to meet
        delete-output) mv "$out" "$work/deleted-$round" 2>/dev/null && rm -rf "$work/deleted-$round" ;;
        full-disk) dd if=/dev/zero of="$disk/filler" bs=1M 2>/dev/null ;;
      esac
      wait "$client"; status=$?; ended=$(date +%s.%N)
      case "$fault" in
        kill-client) note="client killed (status $status); run again: "
          "${cmd[@]}" >>"$work/run-$round.log" 2>&1; status=$? ;;
        kill-resume) note="client killed (status $status); --resume: "
          : >"$work/resume-$round.log"
          "${cmd[@]}" --resume >"$work/resume-$round.log" 2>&1; status=$?
          cat "$work/resume-$round.log" >>"$work/run-$round.log"
          if grep -q '^Resuming the batch' "$work/resume-$round.log"; then note+="$(sed -n 's/^Resuming the batch in [^:]*: \([0-9]*\) image(s) done earlier.*/\1 kept, /p' "$work/resume-$round.log")"
          elif grep -q '^No journal in' "$work/resume-$round.log"; then note+="no journal yet, "
          elif grep -q '^Nothing to do' "$work/resume-$round.log"; then note+="nothing left, "; fi ;;
        stall-task)
          if [[ -f "$stall_marker" ]]; then
            after=$(awk -v a="$(stat -c %.3Y "$stall_marker")" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')
            # the task's deadline, as the client said when it gave the engine up: --task-timeout plus ten times
            # what the engine's measured speed predicts for the image and those queued before it
            deadline=$(grep -o 'within its deadline ([0-9.]* s)' "$work/run-$round.log" | head -n 1 | grep -o '[0-9.]*')
            note="$stall_image stalled, the batch ended ${after} s later (deadline ${deadline:-?} s); "
            if [[ -z "$deadline" ]]; then note+="NOT GIVEN UP, "; status=3
            elif awk -v s="$after" -v d="$deadline" 'BEGIN { exit !(s > d + 10) }'; then note+="LATE, "; status=3; fi
          else
            note="no engine stalled on $stall_image; "; status=3
          fi ;;
        delete-output|full-disk)
          if (( status == 1 )) && grep -q "^Stopped: " "$work/run-$round.log"; then note="stopped (exit 1); run again: "
          elif (( status == 0 && ! running_at_fault )); then note="finished before the fault; "
          elif (( status == 0 )); then note="exit 0 with the fault after its last write; "
          else note="exit $status without 'Stopped'; "; fi
          rm -f "${disk:-/nonexistent}/filler" 2>/dev/null
          "${cmd[@]}" >>"$work/run-$round.log" 2>&1; status=$? ;;
      esac
      "$greylab" engines stop --cluster-file "$file" >/dev/null 2>&1
      pkill -f -- "--name chaos-extra-$$" 2>/dev/null
      unset GREYLAB_JAVA_OPTS
      check "$out" "$cluster" >"$work/verdict"; verdict=$(cat "$work/verdict")
      heap=$(heap_peak "$round")
      if (( heap >= heap_bound_mb )); then verdict="$verdict; heap $heap MB over $heap_bound_mb MB"; fi
      [[ "$verdict" == ok && $status == 0 ]] || failed=1
      add_result "$round|$fault|$mode|$delay_ms|$lost|$broken|$dups|$orphans|$heap|${note}exit $status, $verdict"
      if [[ -n "$mounted" ]]; then umount -l "$mounted"; mounted=""; fi
    done
  done
done

echo
printf "$row_format" round fault mode "+ms" lost broken dups orphans "heap MB" outcome
for row in "${results[@]}"; do
  IFS='|' read -r a b c d e f g h i j <<<"$row"
  printf "$row_format" "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j"
done
printf '\n%-14s %-7s %-5s %-7s %-5s %-8s %-13s %s\n' fault rounds lost broken dups orphans "heap/bound MB" "rounds failed"
for fault in "${faults[@]}"; do
  printf '%s\n' "${results[@]}" | awk -F'|' -v f="$fault" -v bound="$heap_bound_mb" '
    $2 == f { n++; if ($5 == "-") { skipped++; next } lost += $5; broken += $6; dups += $7; orphans += $8
              if ($9 > heap) heap = $9; if ($10 !~ /exit 0, ok$/) bad++ }
    END { printf "%-14s %-7s %-5d %-7d %-5d %-8d %-13s %d%s\n", f, n, lost, broken, dups, orphans,
                 (n > skipped ? heap " / " bound : "-"), bad, (skipped ? " (" skipped " skipped)" : "") }'
done
echo "seed $seed: $( ((failed)) && echo 'SOME ROUNDS FAILED' || echo 'every round: nothing lost, nothing broken, no duplicate, no orphan, heap within bound')"
exit "$failed"
