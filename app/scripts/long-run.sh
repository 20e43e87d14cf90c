#!/usr/bin/env bash
# A long run: 2,000 small images (the samples resized to 640x480 by ImageMagick, copied over and over) through
# serial, direct and balanced in one `greylab bench` process (--repeat 1, two local engines). Every 100 images of
# each mode it prints the client's heap (live after a full GC, through jcmd), its thread count and its open file
# descriptors (from /proc), so a leak shows as a column that grows; at the end it lists any engine process left
# behind (none expected).
#
#   app/scripts/long-run.sh [--images N | --folder DIR]
#
# --folder runs on the images of DIR as they are (a set made by an earlier run, say).
# Linux only; needs ImageMagick's `convert` and a JDK's `jcmd`, and a built checkout (mvn -B -DskipTests package).
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
greylab="$repo/greylab"
images=2000
folder=""
while (( $# )); do
  case "$1" in
    --images) images="$2"; shift 2 ;;
    --folder) folder="$(readlink -f "$2")"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "long-run: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f "$repo/app/target/greylab-app.jar" ]] || { echo "long-run: build first: mvn -B -DskipTests package" >&2; exit 2; }
command -v convert >/dev/null || { echo "long-run: needs ImageMagick's convert" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "long-run: needs jcmd (a JDK's bin on the PATH)" >&2; exit 2; }

work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work/runtime"   # never the user's own running engines
mkdir -p "$XDG_RUNTIME_DIR" "$work/scratch" "$work/base" "$work/images" && chmod 700 "$XDG_RUNTIME_DIR"
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT

if [[ -n "$folder" ]]; then
  rmdir "$work/images" && ln -s "$folder" "$work/images"
  images=$(find "$folder" -type f | wc -l)
else
for f in "$repo"/assets/samples/*.jpg "$repo"/assets/samples/*.jpeg "$repo"/assets/samples/*.png; do
  convert "$f" -resize '640x480!' "$work/base/$(basename "$f")"
done
bases=("$work"/base/*)
for ((k = 0; k < ${#bases[@]}; k++)); do
  # one tee per base image writes all of its copies (a process per copy is slow on a busy machine)
  copies=()
  for ((i = k; i < images; i += ${#bases[@]})); do
    copies+=("$work/images/$(printf '%05d' "$i")-$(basename "${bases[$k]}")")
  done
  (( ${#copies[@]} )) && tee "${copies[@]}" <"${bases[$k]}" >/dev/null
done
fi
echo "long-run: $images images of 640x480 in $work/images ($(du -sh "$work/images" | cut -f1))"

# the bench's temporary output folders go under $work/scratch, where the images done are counted
export GREYLAB_JAVA_OPTS="-Djava.io.tmpdir=$work/scratch"
"$greylab" bench "$work/images" --repeat 1 --engines 2 >"$work/bench.log" 2>&1 &
launcher=$!
client=""
for _ in $(seq 1 200); do
  if [[ "$(readlink "/proc/$launcher/exe" 2>/dev/null)" == *java* ]]; then client=$launcher; break; fi
  client=$(pgrep -P "$launcher" -f java | head -n 1); [[ -n "$client" ]] && break
  sleep 0.1
done
[[ -n "$client" ]] || { echo "long-run: the bench did not start: $(tail -3 "$work/bench.log")" >&2; exit 2; }

live_heap_mb() {
  jcmd "$client" GC.run >/dev/null 2>&1
  jcmd "$client" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -n 1 | awk '{ printf "%.1f", $1 / 1024 }'
}

printf '%-9s %-7s %-14s %-8s %s\n' mode images "live heap MB" threads "open fds"
declare -A next
while kill -0 "$client" 2>/dev/null; do
  # the mode running writes the newest greylab-run-<mode>-* folder (the bench keeps them in a folder of its own)
  run_folder=$(ls -dt "$work"/scratch/greylab-run-* "$work"/scratch/*/greylab-run-* 2>/dev/null | head -n 1)
  if [[ -n "$run_folder" ]]; then
    mode=$(basename "$run_folder" | sed 's/^greylab-run-\([a-z]*\)-.*/\1/')
    done_count=$(find "$run_folder" -type f ! -name '.*' 2>/dev/null | wc -l)
    : "${next[$mode]:=100}"
    if (( done_count >= ${next[$mode]} )); then
      heap=$(live_heap_mb)
      threads=$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$client/status" 2>/dev/null)
      fds=$(ls "/proc/$client/fd" 2>/dev/null | wc -l)
      printf '%-9s %-7s %-14s %-8s %s\n' "$mode" "$done_count" "$heap" "$threads" "$fds"
      next[$mode]=$(( (done_count / 100 + 1) * 100 ))
    fi
  fi
  sleep 0.2
done
wait "$launcher"; status=$?
echo
sed -n '/^mode\|^ *serial\|^ *direct\|^ *balanced\|identical\|differ/Ip' "$work/bench.log" | head -n 12
sleep 2
left=$(pgrep -f -- "--parent-pid $client" | wc -l)
echo "bench exit $status; engine processes left after it: $left"
(( status == 0 && left == 0 ))
