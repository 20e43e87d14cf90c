#!/usr/bin/env bash
# Kills a real `greylab convert` client with SIGKILL at a random moment of its batch, then runs the same command
# with --resume, and checks the output folder against an uninterrupted run: the same files, byte for byte, and no
# temporary file. The modes take turns (serial, direct, balanced; the distributed ones on two local engines started
# once with `greylab engines start`).
#
#   app/scripts/kill-resume.sh [--rounds N] [--seed S] [FOLDER]     (10 rounds by default)
#
# The kill strikes once the batch's journal lists a random number of outputs (1 to 3/4 of the images). Prints one
# line per round and exits 1 if any round failed. Needs a built checkout (mvn -B -DskipTests package).
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
greylab="$repo/greylab"
rounds=10
seed=$RANDOM
folder=""
while (( $# )); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) folder="$1"; shift ;;
  esac
done
[[ -f "$repo/app/target/greylab-app.jar" ]] || { echo "kill-resume: build first: mvn -B -DskipTests package" >&2; exit 2; }
RANDOM=$seed

work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work/runtime"   # never the user's own running engines
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cluster_file="$XDG_RUNTIME_DIR/kill-resume.cluster"
cleanup() {
  [[ -f "$cluster_file" ]] && "$greylab" engines stop --cluster-file "$cluster_file" >/dev/null 2>&1
  [[ -n "${KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$folder" ]]; then
  folder="$work/photos"
  for i in 1 2 3 4 5 6 7 8; do mkdir -p "$folder/$i" && cp "$repo"/assets/samples/*.* "$folder/$i/"; done
  rm -f "$folder"/*/*.txt "$folder"/*/*.md
fi
images=$(find "$folder" -type f ! -path '*/.*' | wc -l)
echo "kill-resume: seed $seed, $rounds round(s), $images images from $folder"
"$greylab" convert "$folder" --output "$work/reference" >"$work/reference.log" 2>&1 \
  || { echo "kill-resume: the uninterrupted run failed: $(tail -3 "$work/reference.log")" >&2; exit 2; }
"$greylab" engines start --engines 2 --idle-timeout 30m --cluster-file "$cluster_file" >"$work/engines.log" 2>&1 \
  || { echo "kill-resume: engines did not start: $(tail -3 "$work/engines.log")" >&2; exit 2; }

journal_lines() { [[ -f "$1/.greylab/journal.jsonl" ]] && wc -l <"$1/.greylab/journal.jsonl" || echo 0; }

modes=(serial direct balanced)
failed=0
killed=0
printf '%-6s %-9s %-11s %-15s %-12s %s\n' round mode "killed at" "on disk" "resume kept" outcome
# a round counts when the kill lands mid-batch; one whose batch ended first (a loaded machine) is shown, not counted
for ((r = 1; killed < rounds && r <= 2 * rounds; r++)); do
  mode=${modes[$(( (r - 1) % 3 ))]}
  out="$work/out-$r"
  cmd=("$greylab" convert "$folder" --output "$out" --mode "$mode")
  [[ "$mode" != serial ]] && cmd+=(--cluster-file "$cluster_file")
  kill_after=$(( 1 + RANDOM % (images * 3 / 4) ))
  "${cmd[@]}" >"$work/run-$r.log" 2>&1 &
  client=$!
  for _ in $(seq 1 3000); do
    (( $(journal_lines "$out") >= 1 + kill_after )) && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.02
  done
  landed=1
  kill -9 "$client" 2>/dev/null || landed=0
  wait "$client" 2>/dev/null
  on_disk=$(find "$out" -type f ! -path '*/.greylab/*' ! -name '.greylab-*.part' 2>/dev/null | wc -l)
  parts_before=$(find "$out" -name '.greylab-*.part' 2>/dev/null | wc -l)
  "${cmd[@]}" --resume >"$work/resume-$r.log" 2>&1; status=$?
  kept=$(sed -n 's/^Resuming the batch in [^:]*: \([0-9]*\) image(s) done earlier.*/\1/p' "$work/resume-$r.log")
  problems=()
  (( status == 0 )) || problems+=("exit $status")
  diff -rq --exclude=.greylab "$work/reference" "$out" >"$work/diff-$r" 2>&1 || problems+=("$(wc -l <"$work/diff-$r") difference(s)")
  (( $(find "$out" -name '.greylab-*.part' | wc -l) == 0 )) || problems+=(".part file(s) left")
  if (( ${#problems[@]} )); then failed=1; verdict="FAILED: ${problems[*]}"; else verdict="byte-identical"; fi
  if (( landed )); then killed=$((killed + 1)); else verdict="$verdict (the batch ended before the kill: not counted)"; fi
  printf '%-6s %-9s %-11s %-15s %-12s %s\n' "$r" "$mode" "$kill_after" "$on_disk (+$parts_before .part)" "${kept:-none}" "$verdict"
done
(( killed == rounds )) || failed=1
echo "seed $seed: $( ((failed)) && echo "SOME ROUNDS FAILED ($killed killed mid-batch)" || echo "$rounds of $rounds clients killed mid-batch and resumed: byte-identical to an uninterrupted run, no temporary file left")"
exit "$failed"
