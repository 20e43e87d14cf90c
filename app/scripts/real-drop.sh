#!/usr/bin/env bash
# Checks drag and drop into the Greylab window with a real XDND drag under Xvfb (the robot tests can only fire
# synthetic drag events: Monocle has no native drag and drop). A tiny GTK 3 drag source (xdnd-drag-source.py)
# offers a folder as text/uri-list, the way a file manager does; xdotool presses, moves and releases the mouse.
#
#   app/scripts/real-drop.sh [OUT_DIR]       (default: app/target/real-drop)
#
# Passes (exit 0) when the window asked the source for the files and then lists the dropped folder's images;
# saves during.png (drop target showing while dragging over) and after.png (the list with the dropped images).
# Needs a built checkout (mvn -B -DskipTests package) and:
#   apt-get install -y xvfb imagemagick xdotool libgtk-3-0 python3-gi gir1.2-gtk-3.0
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
out="$(readlink -f "${1:-$repo/app/target/real-drop}")"
for tool in Xvfb import xdotool; do
  command -v "$tool" >/dev/null || { echo "real-drop: $tool is missing" >&2; exit 2; }
done
/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null \
  || { echo "real-drop: apt-get install -y python3-gi gir1.2-gtk-3.0" >&2; exit 2; }
[[ -f "$repo/app/target/greylab-app.jar" ]] || { echo "real-drop: build first: mvn -B -DskipTests package" >&2; exit 2; }

work="$(mktemp -d)"
display=":$(( 150 + RANDOM % 50 ))"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"

# the window starts on one image; the dragged folder holds two others
mkdir -p "$work/start" "$work/dropped photos"
cp "$repo/assets/samples/camera.png" "$work/start/"
cp "$repo/assets/samples/coffee.png" "$repo/assets/samples/chelsea.png" "$work/dropped photos/"

Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY="$display"
sleep 1

cat >"$work/settings.json" <<JSON
{ "inputs": ["$work/start"], "output": "$work/out", "mode": "serial", "localEngines": 1,
  "overwrite": "overwrite", "format": "keep", "formula": "skimage", "dark": false, "width": 1400, "height": 900 }
JSON
GREYLAB_JAVA_OPTS="-Dgreylab.settings.file=$work/settings.json -Dprism.order=sw" \
  "$repo/greylab" >"$work/app.log" 2>&1 &
pids+=($!)

/usr/bin/python3 "$repo/app/scripts/xdnd-drag-source.py" 1690 60 "$work/dropped photos" >"$work/source.log" 2>&1 &
pids+=($!)

window=""
for _ in $(seq 1 60); do
  window="$(xdotool search --name '^Greylab$' 2>/dev/null | head -1 || true)"
  [[ -n "$window" ]] && break
  sleep 1
done
[[ -n "$window" ]] || { echo "real-drop: the window did not open" >&2; cat "$work/app.log" >&2; exit 1; }
sleep "${GREYLAB_START_WAIT:-8}"
eval "$(xdotool getwindowgeometry --shell "$window")"   # X Y WIDTH HEIGHT
target_x=$(( X + WIDTH / 2 ))
target_y=$(( Y + HEIGHT / 3 ))
source_window="$(xdotool search --name '^greylab drag source$' | head -1)"
eval "$(xdotool getwindowgeometry --shell "$source_window" | sed 's/^/SRC_/')"
source_x=$(( SRC_X + SRC_WIDTH / 2 ))
source_y=$(( SRC_Y + SRC_HEIGHT / 2 ))

# press on the source, move in small steps (GTK starts the drag past its threshold), hover, release
xdotool mousemove "$source_x" "$source_y"
sleep 0.3
xdotool mousedown 1
for i in $(seq 1 30); do
  xdotool mousemove $(( source_x + (target_x - source_x) * i / 30 )) $(( source_y + (target_y - source_y) * i / 30 ))
  sleep 0.05
done
sleep 1
xdotool mousemove $(( target_x + 5 )) $(( target_y + 5 ))
sleep 1
import -window root "$out/during.png"
xdotool mouseup 1
sleep 3
import -window root "$out/after.png"
cp "$work/source.log" "$out/source.log"
cp "$work/app.log" "$out/app.log"

echo "drag source said:"; sed 's/^/  /' "$work/source.log"
if grep -q '^drag-data-get ' "$work/source.log" && ! grep -q '^drag-failed' "$work/source.log"; then
  echo "real-drop: the window took the drop; look at $out/during.png and $out/after.png"
else
  echo "real-drop: the window did not take the drop" >&2
  exit 1
fi
