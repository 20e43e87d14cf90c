#!/usr/bin/env bash
# Runs the Greylab window under Xvfb on a real folder, presses Compare (Ctrl+R) and saves screenshots of the
# whole screen with ImageMagick's import into assets/screenshots/.
#
#   app/scripts/screenshots.sh [FOLDER]        (default: the samples, eight times over)
#
# The default folder holds the bundled samples eight times (samples/1 to 8), so that the Compare lasts long
# enough for 02-running to catch it in progress (direct or balanced running) on a 2-core machine.
#
# GREYLAB_SCREEN=1280x800 SHOTS_DIR=/tmp/shots app/scripts/screenshots.sh checks a smaller screen without
# touching the README's pictures (the tab and toggle positions below are for the default 1440x900).
#
# Needs a built checkout (mvn -B -DskipTests package) and: apt-get install -y xvfb imagemagick xdotool libgtk-3-0
# The window keeps its settings in a throw-away file, so the user's own settings are not touched.
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
folder="${1:-}"
shots="${SHOTS_DIR:-$repo/assets/screenshots}"
screen="${GREYLAB_SCREEN:-1440x900}"
for tool in Xvfb import xdotool; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install -y xvfb imagemagick xdotool libgtk-3-0)" >&2; exit 2; }
done
[[ -f "$repo/app/target/greylab-app.jar" ]] || { echo "screenshots: build first: mvn -B -DskipTests package" >&2; exit 2; }

work="$(mktemp -d)"
display=":$(( 90 + RANDOM % 50 ))"
xvfb_pid=""
app_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$folder" ]]; then
  folder="$work/samples"
  for n in 1 2 3 4 5 6 7 8; do
    mkdir -p "$folder"
    cp -r "$repo/assets/samples" "$folder/$n"
    rm -f "$folder/$n/LICENSES.md"
  done
fi
folder="$(readlink -f "$folder")"

Xvfb "$display" -screen 0 "${screen}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
sleep 1

cat >"$work/settings.json" <<JSON
{ "inputs": ["$folder"], "output": "$work/out", "mode": "compare", "localEngines": 2,
  "overwrite": "overwrite", "format": "keep", "formula": "skimage", "dark": ${GREYLAB_DARK:-false},
  "width": ${screen%x*}, "height": ${screen#*x} }
JSON

# a runtime folder of its own: a Greylab window the user has open must not take this one's place (one window per
# user), nor engines left running by 'greylab engines start' join the pictures
mkdir -m 700 "$work/run"
XDG_RUNTIME_DIR="$work/run" GREYLAB_JAVA_OPTS="-Dgreylab.settings.file=$work/settings.json -Dprism.order=sw" \
  "$repo/greylab" >"$work/app.log" 2>&1 &
app_pid=$!

shot() { import -window root "$shots/$1.png"; echo "saved $shots/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.5}"; }
mkdir -p "$shots"

# the window opens on the folder while two local engines start
sleep "${GREYLAB_START_WAIT:-12}"
xdotool mousemove 700 200 click 1   # select the first image: the preview fills
sleep 3
shot 01-start

# Compare: serial, then direct, then balanced on the same images
xdotool key ctrl+r
sleep "${GREYLAB_MID_WAIT:-8}"
shot 02-running
sleep "${GREYLAB_RUN_WAIT:-60}"
shot 03-timeline
click "${TIMINGS_TAB_X:-392}" "${TABS_Y:-483}" 1
shot 04-timings
click "${ERRORS_TAB_X:-460}" "${TABS_Y:-483}" 1
click "${TIMELINE_TAB_X:-325}" "${TABS_Y:-483}" 1
click "${DARK_X:-1410}" "${DARK_Y:-22}" 2
shot 05-dark

cp "$work/app.log" "$shots/../../app/target/screenshots-app.log" 2>/dev/null || true
