#!/usr/bin/env bash
# Builds Greylab's packages and checks them for real on this machine (Debian/Ubuntu, amd64, run as root):
# builds the .deb and the engine bundle, installs the .deb, runs the installed greylab (version, convert, local
# engines, the window under Xvfb with a screenshot, the desktop entry through gtk-launch on a folder, a second
# greylab handing its folder to that window), starts two engines from the bundle on loopback and benches against
# them, then uninstalls. One line per step: PASS <step> or FAIL <step>: why. Exit status 1 on any FAIL.
#
#   installer/verify.sh              build, then check
#   installer/verify.sh --no-build   check the packages already in installer/target
#
# Leaves installer/target/greylab_<version>_amd64.deb, installer/target/greylab-engine-<version>-linux-x64.tar.gz and the
# screenshots installer/target/verify-window.png and verify-gtk-launch.png. Everything else it starts or installs is undone on exit.
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
target="$repo/installer/target"
build=1
[[ "${1:-}" == "--no-build" ]] && build=0

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
# the last lines of a log, on one line, for a FAIL message
tail_of() { tail -n "${2:-5}" "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-600; }

if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL setup: run as root (it installs and removes the greylab package): sudo $0 $*"
  exit 1
fi

work="$(mktemp -d /tmp/greylab-verify.XXXXXX)"
chmod 755 "$work"
user="glverify$$"
installed_by_us=0
pids=()
cleanup() {
  local pid
  # each background command leads its own process group (setsid): the group goes, children included
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  done
  (( ${#pids[@]} )) && sleep 2
  for pid in "${pids[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  done
  if (( installed_by_us )) && dpkg -s greylab >/dev/null 2>&1; then
    dpkg -P greylab >/dev/null 2>&1
  fi
  if id "$user" >/dev/null 2>&1; then
    # what the throw-away user still runs (a window gtk-launch started, its engines)
    pkill -KILL -u "$user" 2>/dev/null && sleep 1
    userdel "$user" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# What the checks need: the build tools, fakeroot for jpackage, Xvfb and ImageMagick for the screenshot, and for the
# desktop entry desktop-file-validate, gtk-launch (opens it as a file manager does) and xdg-mime
missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v gtk-launch >/dev/null || missing+=(libgtk-3-bin)
command -v xdg-mime >/dev/null || missing+=(xdg-utils)
command -v import >/dev/null || missing+=(imagemagick)
command -v xwininfo >/dev/null || missing+=(x11-utils)
command -v fakeroot >/dev/null || missing+=(fakeroot)
command -v dpkg-deb >/dev/null || missing+=(dpkg-dev)
# the native JPEG decoder the packages use (the .deb depends on it; the bundle's engines look for it)
dpkg -s libturbojpeg0 >/dev/null 2>&1 || missing+=(libturbojpeg0)
dpkg -s libwebp7 >/dev/null 2>&1 || missing+=(libwebp7)
dpkg -s libheif1 >/dev/null 2>&1 || missing+=(libheif1)
if (( ${#missing[@]} )); then
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >"$work/apt.log" 2>&1; then
    pass "prerequisites (installed ${missing[*]})"
  else
    fail prerequisites "apt-get install ${missing[*]} failed: $(tail_of "$work/apt.log")"
  fi
else
  pass prerequisites
fi

version="$(sed -n 's:.*<app.version>\(.*\)</app.version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
arch="$(dpkg --print-architecture)"
deb="$target/greylab_${version}_${arch}.deb"
bundle="$target/greylab-engine-${version}-linux-x64.tar.gz"

# ---------------------------------------------------------------------------------------------------------------
# the packages are built on a JDK 22+ (their runtimes, and the core jar's native-decoder layer): JAVA_HOME's when it
# is one, else the newest under /usr/lib/jvm
jdk_major() { local v; v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"; echo "${v:-0}"; }
jdk=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jlink" ]] && (( $(jdk_major "$JAVA_HOME") >= 22 )); then
  jdk="$JAVA_HOME"
else
  best=0
  for candidate in /usr/lib/jvm/*/; do
    candidate="${candidate%/}"
    m="$(jdk_major "$candidate")"
    if [[ -x "$candidate/bin/jlink" ]] && (( m >= 22 && m > best )); then
      best="$m"
      jdk="$candidate"
    fi
  done
fi
if (( build )); then
  if [[ -z "$jdk" ]]; then
    fail build "no JDK 22 or newer (JAVA_HOME, or under /usr/lib/jvm) to build the packages with"
    exit 1
  fi
  if (cd "$repo" && JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH" mvn -B -DskipTests -Pinstaller package) >"$work/build.log" 2>&1; then
    pass "build (mvn -B -DskipTests -Pinstaller package, on $jdk)"
  else
    cp "$work/build.log" "$target/verify-build.log" 2>/dev/null
    fail build "maven failed, see installer/target/verify-build.log: $(grep -m3 ERROR "$work/build.log" | tr '\n' ' ' | cut -c1-400)"
  fi
fi
if [[ -f "$deb" && -f "$bundle" ]]; then
  pass "packages ($(du -h "$deb" | cut -f1) ${deb#"$repo"/}, $(du -h "$bundle" | cut -f1) ${bundle#"$repo"/}, app image $(du -sh "$target/app-image/greylab" 2>/dev/null | cut -f1))"
else
  fail packages "missing $deb or $bundle"
  exit 1
fi

# the trimmed runtime still holds every module the jars use (jdeps), and keeps bin/java for the local engines
runtime="$target/app-image/greylab/lib/runtime"
# (AtlantaFX 2.1.0 is Java 21 bytecode that the app only reads stylesheets from; JDK 17's jdeps cannot read it)
mkdir -p "$work/jdeps"
cp "$target/input/lib/"*.jar "$work/jdeps/" && rm -f "$work/jdeps/"atlantafx-*.jar
needed="$(jdeps --multi-release 17 --print-module-deps --ignore-missing-deps --module-path "$work/jdeps:$target/javafx" \
  "$target/input/greylab-app.jar" "$work/jdeps/"*.jar 2>"$work/jdeps.log" | tail -n 1)"
have="$(sed -n 's/^MODULES="\(.*\)"$/\1/p' "$runtime/release" 2>/dev/null)"
absent=()
for m in ${needed//,/ } jdk.management jdk.unsupported; do
  [[ " $have " == *" $m "* ]] || absent+=("$m")
done
if [[ -z "$needed" ]]; then
  fail runtime-modules "jdeps said nothing: $(tail_of "$work/jdeps.log")"
elif (( ${#absent[@]} )); then
  fail runtime-modules "the runtime lacks ${absent[*]}"
elif [[ ! -x "$runtime/bin/java" ]]; then
  fail runtime-modules "the runtime has no bin/java"
else
  pass "runtime-modules ($(wc -w <<<"$have") modules; jdeps needs $needed)"
fi

# ---------------------------------------------------------------------------------------------------------------
if dpkg -s greylab >/dev/null 2>&1; then
  dpkg -r greylab >/dev/null 2>&1
fi
# Who opens folders, before the install: Greylab must stay an "Open with" choice, never become the default. A machine
# without a file manager has no default, and xdg-mime then names any entry that lists the type, so here a stand-in
# file manager is the default for folders, as on a desktop
mime_home="$work/mime-home"
mkdir -p "$mime_home/.local/share/applications" "$mime_home/.config"
mime() { env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CURRENT_DESKTOP HOME="$mime_home" xdg-mime "$@" 2>/dev/null; }
folder_default_before="$(mime query default inode/directory)"
if [[ -z "$folder_default_before" ]]; then
  printf '[Desktop Entry]\nType=Application\nName=Files (stand-in)\nExec=true %%U\nMimeType=inode/directory;\n' \
    >"$mime_home/.local/share/applications/verify-files.desktop"
  mime default verify-files.desktop inode/directory
  folder_default_before="$(mime query default inode/directory)"
fi
installed_by_us=1
if dpkg -i "$deb" >"$work/install.log" 2>&1 \
   || DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >>"$work/install.log" 2>&1; then
  problems=()
  [[ "$(dpkg-query -W -f='${Status}' greylab 2>/dev/null)" == "install ok installed" ]] || problems+=("not configured")
  [[ -x /opt/greylab/bin/greylab ]] || problems+=("no /opt/greylab/bin/greylab")
  [[ "$(readlink -f /usr/bin/greylab)" == /opt/greylab/bin/greylab ]] || problems+=("/usr/bin/greylab is not the launcher")
  [[ "$(command -v greylab)" == /usr/bin/greylab ]] || problems+=("greylab is not on the PATH")
  desktop="$(ls /usr/share/applications/*greylab*.desktop 2>/dev/null | head -n 1)"
  if [[ -z "$desktop" ]]; then
    problems+=("no desktop entry in /usr/share/applications")
  else
    grep -qx 'Name=Greylab' "$desktop" || problems+=("desktop entry not named Greylab")
    grep -q '^Categories=.*Graphics' "$desktop" || problems+=("desktop entry not in Graphics")
    validate="$(desktop-file-validate "$desktop" 2>&1)" || problems+=("desktop-file-validate: ${validate//$'\n'/ }")
    [[ -z "$validate" ]] || problems+=("desktop-file-validate says: ${validate//$'\n'/ }")
    grep -q '^Exec=greylab .*%F' "$desktop" || problems+=("desktop entry does not pass files (%F)")
    grep -q '^MimeType=.*inode/directory;' "$desktop" || problems+=("desktop entry does not take folders")
  fi
  icons=$(ls /usr/share/icons/hicolor/*/apps/greylab.png 2>/dev/null | wc -l)
  if (( ${#problems[@]} )); then
    fail install "${problems[*]}"
  else
    pass "install (dpkg -i; $desktop; $icons icon sizes in hicolor)"
  fi
else
  fail install "$(tail_of "$work/install.log")"
fi

# the package lists Greylab for folders, but makes it nobody's default
folder_default_after="$(mime query default inode/directory)"
defaults_naming_us="$(grep -ls greylab /etc/xdg/*mimeapps.list /usr/share/applications/*mimeapps.list \
  /usr/share/applications/defaults.list /usr/local/share/applications/*mimeapps.list 2>/dev/null | tr '\n' ' ')"
if [[ "$folder_default_after" != "$folder_default_before" ]]; then
  fail folder-default "xdg-mime query default inode/directory was $folder_default_before, is $folder_default_after"
elif [[ -n "$defaults_naming_us" ]]; then
  fail folder-default "a defaults list names greylab: $defaults_naming_us"
elif ! grep -q '^inode/directory=.*greylab.desktop' /usr/share/applications/mimeinfo.cache 2>/dev/null; then
  fail folder-default "greylab is not offered for folders (mimeinfo.cache)"
else
  pass "folder-default (xdg-mime query default inode/directory still $folder_default_before; greylab offered for folders)"
fi

# an unprivileged user runs the installed copy, as on a desktop: nothing may be written under /opt/greylab
useradd --home-dir "$work/home" --create-home --shell /bin/bash "$user" >/dev/null 2>&1
as_user() { runuser -u "$user" -- env HOME="$work/home" PATH=/usr/local/bin:/usr/bin:/bin "$@"; }
samples=/opt/greylab/lib/app/assets/samples
sample_count=$(find "$samples" -type f ! -name '*.md' 2>/dev/null | wc -l)
find /opt/greylab -type f | sort >"$work/files-before"

out="$(as_user greylab --version 2>&1)"
if [[ $? -eq 0 && "$out" == *"${version}"* ]]; then
  pass "version ($(head -n 1 <<<"$out"))"
else
  fail version "greylab --version said: $out"
fi

# the installed copy brings its own Java 25 (no JDK needed: no JAVA_HOME, no java on the PATH) and uses the system's
# libturbojpeg, libwebp and libheif, which the package depends on
depends="$(dpkg-deb -f "$deb" Depends 2>/dev/null)"
out="$(runuser -u "$user" -- env -u JAVA_HOME HOME="$work/home" PATH=/nonexistent /opt/greylab/bin/greylab --version 2>&1)"
if [[ "$depends" != *libturbojpeg0* || "$depends" != *libwebp7* || "$depends" != *libheif1* ]]; then
  fail native-jpeg "the package does not depend on libturbojpeg0, libwebp7 and libheif1: $depends"
elif [[ "$out" == *"Java 25"* && "$out" == *"JPEG decoder: libjpeg-turbo"* && "$out" == *"WebP decoder: libwebp"*
        && "$out" == *"HEIC/AVIF decoder: libheif"* ]]; then
  pass "native-jpeg (no Java on the PATH: $(tr '\n' ' ' <<<"$out" | cut -c1-200))"
else
  fail native-jpeg "greylab --version without a Java on the PATH said: $out"
fi

# the outputs only: a run also keeps its journal in the output folder's .greylab/
if as_user greylab convert "$samples" --output "$work/home/converted" >"$work/convert.log" 2>&1; then
  made=$(find "$work/home/converted" -type f ! -path "*/.greylab/*" | wc -l)
  if (( made == sample_count && made > 0 )); then
    pass "convert ($made of the installed samples into a temporary folder)"
  else
    fail convert "$made outputs for $sample_count samples: $(tail_of "$work/convert.log")"
  fi
else
  fail convert "$(tail_of "$work/convert.log")"
fi

# without --output the samples' output goes to ~/Greylab, never into the install folder
if as_user greylab convert "$samples" >"$work/convert-default.log" 2>&1 \
   && (( $(find "$work/home/Greylab/samples-grey" -type f ! -path "*/.greylab/*" 2>/dev/null | wc -l) == sample_count )); then
  pass "convert-default-output (~/Greylab/samples-grey)"
else
  fail convert-default-output "$(tail_of "$work/convert-default.log")"
fi

# local engines: the installed runtime's bin/java starts them from the app's own jars
if as_user greylab bench "$samples" --engines 2 --modes serial,balanced --json "$work/home/local.json" \
     >"$work/bench-local.log" 2>&1 \
   && grep -Eq '"identicalOutputs" *: *true' "$work/home/local.json"; then
  pass "local-engines (greylab bench --engines 2 from the installed copy: identical outputs)"
else
  fail local-engines "$(tail_of "$work/bench-local.log" 8)"
fi

# ...and the package carries no second copy of the libraries: no engine-node.jar; an engine that 'engines start'
# leaves running is the runtime's java on the class path of /opt/greylab/lib/app
fat_jars="$(find /opt/greylab -name 'engine-node*.jar' 2>/dev/null | tr '\n' ' ')"
if as_user greylab engines start --engines 1 --idle-timeout 5m >"$work/engines-start-local.log" 2>&1; then
  engine_pid="$(pgrep -u "$user" -f org.greylab.engine.node.EngineNodeMain | head -n 1)"
  engine_exe="$(readlink "/proc/$engine_pid/exe" 2>/dev/null)"
  engine_cmd="$(tr '\0' ' ' <"/proc/$engine_pid/cmdline" 2>/dev/null)"
  as_user greylab engines stop >>"$work/engines-start-local.log" 2>&1
  if [[ -n "$fat_jars" ]]; then
    fail engines-runtime "the package carries $fat_jars"
  elif [[ -z "$engine_pid" ]]; then
    fail engines-runtime "no engine process after engines start: $(tail_of "$work/engines-start-local.log")"
  elif [[ "$engine_exe" != /opt/greylab/lib/runtime/bin/java || "$engine_cmd" != *" -cp /opt/greylab/lib/app/"* \
          || "$engine_cmd" == *engine-node.jar* ]]; then
    fail engines-runtime "engine $engine_pid runs $engine_exe: $(cut -c1-400 <<<"$engine_cmd")"
  else
    pass "engines-runtime (no engine-node.jar in the package; engine $engine_pid: $engine_exe -cp /opt/greylab/lib/app/...)"
  fi
else
  fail engines-runtime "greylab engines start: $(tail_of "$work/engines-start-local.log")"
fi

# ---------------------------------------------------------------------------------------------------------------
# the window, under Xvfb, screenshot to installer/target/verify-window.png
display=":$((90 + RANDOM % 100))"
# -noreset: the server would reset when its last client goes (the first window), and a client that connects then fails
setsid Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
pids+=($!)
sleep 2
window_pid=""
if kill -0 "${pids[-1]}" 2>/dev/null; then
  setsid runuser -u "$user" -- env HOME="$work/home" PATH=/usr/local/bin:/usr/bin:/bin DISPLAY="$display" greylab >"$work/window.log" 2>&1 &
  window_pid=$!
  pids+=("$window_pid")
  shown=0
  for _ in $(seq 1 90); do
    if DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -q '"Greylab'; then
      shown=1
      break
    fi
    kill -0 "$window_pid" 2>/dev/null || break
    sleep 1
  done
  # time to load the samples, thumbnails and local engines; on a busy machine the first paint of a window that is
  # already mapped can come later still (the installed app has no archive of its own classes), so wait for it
  (( shown )) && sleep 15
  for _ in $(seq 1 45); do
    DISPLAY="$display" import -window root "$target/verify-window.png" 2>"$work/import.log"
    (( shown )) || break
    (( $(identify -format '%k' "$target/verify-window.png" 2>/dev/null || echo 0) > 16 )) && break
    sleep 1
  done
  if (( shown )) && kill -0 "$window_pid" 2>/dev/null; then
    colours=$(identify -format '%k' "$target/verify-window.png" 2>/dev/null || echo 0)
    if (( colours > 16 )); then
      pass "window (Xvfb $display; screenshot installer/target/verify-window.png, $colours colours)"
    else
      fail window "the screenshot is blank ($colours colours)"
    fi
  else
    fail window "no Greylab window appeared: $(tail_of "$work/window.log")"
  fi
  # closing: SIGTERM to the window's process group (the app stops its local engines; they also watch its pid)
  kill -TERM -- "-$window_pid" 2>/dev/null
  for _ in $(seq 1 20); do
    kill -0 "$window_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$window_pid" 2>/dev/null
  wait "$window_pid" 2>/dev/null

  # "Open with Greylab" on a folder, as a file manager does it: gtk-launch runs the installed desktop entry with the
  # folder for %F; the window opens on it (its title names it), and its WM_CLASS is the entry's StartupWMClass
  folder="$work/home/Holiday photos"
  other="$work/home/scans"
  mkdir -p "$folder" "$other"
  find "$samples" -maxdepth 1 -type f -name '*.jpg' | head -n 3 | xargs -r -I{} cp {} "$folder/"
  find "$samples" -maxdepth 1 -type f -name '*.png' | head -n 2 | xargs -r -I{} cp {} "$other/"
  chown -R "$user" "$folder" "$other"
  for _ in $(seq 1 20); do
    DISPLAY="$display" xwininfo -root >/dev/null 2>&1 && break
    sleep 0.5
  done
  setsid runuser -u "$user" -- env HOME="$work/home" PATH=/usr/local/bin:/usr/bin:/bin DISPLAY="$display" \
    gtk-launch greylab "$folder" >"$work/gtk-launch.log" 2>&1 </dev/null &
  launcher_pid=$!
  pids+=("$launcher_pid")
  line=""
  for _ in $(seq 1 90); do
    line="$(DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep '"Greylab' | grep 'Holiday photos' | head -n 1)"
    [[ -n "$line" ]] && break
    sleep 1
  done
  startup_class="$(sed -n 's/^StartupWMClass=//p' "${desktop:-/nonexistent}" 2>/dev/null)"
  if [[ -n "$line" ]]; then
    sleep 5
    DISPLAY="$display" import -window root "$target/verify-gtk-launch.png" 2>>"$work/import.log"
    wm_class="$(DISPLAY="$display" xprop -id "$(awk '{print $1}' <<<"$line")" WM_CLASS 2>/dev/null)"
    if [[ -n "$startup_class" && "$wm_class" == *"\"$startup_class\""* ]]; then
      pass "gtk-launch (gtk-launch greylab \"$folder\": window $(grep -o '"Greylab[^"]*"' <<<"$line"), WM_CLASS $startup_class as the entry's StartupWMClass; screenshot installer/target/verify-gtk-launch.png)"
    else
      fail gtk-launch "the window's $wm_class is not the entry's StartupWMClass=$startup_class"
    fi

    # a second greylab hands its folder to that window and exits at once: one window, one set of engines
    window_pids="$(pgrep -u "$user" -x greylab | tr '\n' ' ')"
    started=$(date +%s%N)
    as_user env DISPLAY="$display" greylab "$other" >"$work/second.log" 2>&1
    status=$?
    took=$(( ($(date +%s%N) - started) / 1000000 ))
    added=0
    for _ in $(seq 1 50); do
      DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep '"Greylab' | grep -q 'Holiday photos and 1 more' && { added=1; break; }
      sleep 0.2
    done
    # top-level windows of the app that have a title (JavaFX's popups and gtk-launch's own have none or another class)
    window_lines="$(DISPLAY="$display" xwininfo -root -tree 2>/dev/null \
      | grep -E '"Greylab[^"]*": \("'"${startup_class:-org.greylab.app.ui.GreylabApp}"'"' | awk '{print $1}' | sort -u)"
    windows=$(grep -c . <<<"$window_lines")
    parents="$(ps -u "$user" -o args= | grep -o -- '--parent-pid [0-9]*' | awk '{print $2}' | sort -u | tr '\n' ' ')"
    if (( status == 0 && added && windows == 1 )) && [[ "${parents% }" == "${window_pids% }" ]]; then
      pass "single-window (greylab scans exited 0 in $took ms, the window took it, one window, engines only of pid ${window_pids% })"
    else
      fail single-window "exit $status in $took ms, added=$added, $windows window(s) ($(DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep '"Greylab' | tr -s ' ' | tr '\n' ';' | cut -c1-400)), window pid(s) $window_pids, engines' parents $parents: $(tail_of "$work/second.log")"
    fi
  else
    fail gtk-launch "no window on the folder appeared: $(tail_of "$work/gtk-launch.log")"
  fi
  # the window and its engines belong to the throw-away user: end them all
  pkill -TERM -u "$user" 2>/dev/null
  for _ in $(seq 1 20); do
    pgrep -u "$user" >/dev/null || break
    sleep 0.5
  done
  pkill -KILL -u "$user" 2>/dev/null
else
  fail window "Xvfb did not start: $(tail_of "$work/xvfb.log")"
fi

# ---------------------------------------------------------------------------------------------------------------
# the engine bundle: unpack, start two engines on loopback, bench against them, stop them
mkdir -p "$work/bundle"
if tar -xzf "$bundle" -C "$work/bundle" 2>"$work/tar.log"; then
  engine_home="$work/bundle/greylab-engine-${version}"
  problems=()
  for f in engine-node.jar bin/greylab-engine greylab-engine.env greylab-engine.service README.md runtime/bin/java; do
    [[ -e "$engine_home/$f" ]] || problems+=("no $f")
  done
  [[ -x "$engine_home/bin/greylab-engine" ]] || problems+=("bin/greylab-engine not executable")
  unit="$engine_home/greylab-engine.service"
  for line in 'User=greylab' 'Restart=on-failure' 'EnvironmentFile=/etc/greylab/engine.env' 'NoNewPrivileges=yes' \
              'ProtectSystem=strict' 'PrivateTmp=yes'; do
    grep -qx "$line" "$unit" 2>/dev/null || problems+=("unit lacks $line")
  done
  if (( ${#problems[@]} )); then
    fail bundle "${problems[*]}"
  else
    pass "bundle (unpacked: engine-node.jar, bin/greylab-engine, greylab-engine.env, greylab-engine.service, runtime/ $(du -sh "$engine_home/runtime" | cut -f1))"
  fi
else
  fail bundle "$(tail_of "$work/tar.log")"
  engine_home="$work/bundle/missing"
fi

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}
p1="$(free_port)"
p2=$((p1 + 1))
cluster="verify-$RANDOM$RANDOM"
members="127.0.0.1:$p1,127.0.0.1:$p2"
# a cluster key as a lab has one: made by the installed app, 0600, the engines' copy root's, the user's copy theirs
/opt/greylab/bin/greylab key new "$work/cluster.key" >/dev/null 2>&1
install -o "$user" -m 600 "$work/cluster.key" "$work/home/cluster.key"
# the first engine takes options on the command line, the second from GREYLAB_* variables (as the unit does)
# no JAVA_HOME and no java on the PATH: the bundle's own runtime
env -u JAVA_HOME PATH=/usr/bin:/bin setsid "$engine_home/bin/greylab-engine" --cluster "$cluster" --interface 127.0.0.1 --port "$p1" --join "$members" \
  --name verify-1 --slots 1 --key-file "$work/cluster.key" >"$work/engine1.log" 2>&1 &
e1=$!
pids+=("$e1")
GREYLAB_CLUSTER="$cluster" GREYLAB_INTERFACE=127.0.0.1 GREYLAB_PORT="$p2" GREYLAB_JOIN="$members" \
  GREYLAB_NAME=verify-2 GREYLAB_SLOTS=1 GREYLAB_KEY_FILE="$work/cluster.key" setsid "$engine_home/bin/greylab-engine" >"$work/engine2.log" 2>&1 &
e2=$!
pids+=("$e2")
ready=0
for _ in $(seq 1 90); do
  if grep -q '" ready at ' "$work/engine1.log" && grep -q '" ready at ' "$work/engine2.log"; then
    ready=1
    break
  fi
  kill -0 "$e1" 2>/dev/null && kill -0 "$e2" 2>/dev/null || break
  sleep 1
done
if (( ready )) && ! grep -q 'JPEG: libjpeg-turbo' "$work/engine1.log"; then
  fail engines-start "engine 1 has no native JPEG decoder: $(grep '" ready at ' "$work/engine1.log")"
elif (( ready )); then
  pass "engines-start (two engines from the bundle, cluster $cluster, 127.0.0.1:$p1 and :$p2, JPEG: libjpeg-turbo)"
else
  fail engines-start "engine 1: $(tail_of "$work/engine1.log" 3) engine 2: $(tail_of "$work/engine2.log" 3)"
fi

if as_user greylab engines --connect "127.0.0.1:$p1" --cluster "$cluster" --key-file "$work/home/cluster.key" \
     >"$work/engines.log" 2>&1 \
   && grep -q verify-1 "$work/engines.log" && grep -q verify-2 "$work/engines.log"; then
  pass "engines-list (greylab engines with the cluster key sees verify-1 and verify-2)"
else
  fail engines-list "$(tail_of "$work/engines.log")"
fi
# without the key the engines are refused, never used
if ! as_user greylab engines --connect "127.0.0.1:$p1" --cluster "$cluster" >"$work/engines-nokey.log" 2>&1 \
   && grep -qi "key" "$work/engines-nokey.log"; then
  pass "engines-key (without --key-file: $(grep -i -m1 key "$work/engines-nokey.log" | cut -c1-100))"
else
  fail engines-key "a client without the key was not refused: $(tail_of "$work/engines-nokey.log")"
fi

if as_user greylab bench "$samples" --connect "127.0.0.1:$p1" --cluster "$cluster" --key-file "$work/home/cluster.key" \
     --json "$work/home/lab.json" \
     >"$work/bench.log" 2>&1 \
   && grep -Eq '"identicalOutputs" *: *true' "$work/home/lab.json" \
   && (( $(grep -Eo '"mode" *: *"(serial|direct|balanced)"' "$work/home/lab.json" | wc -l) == 3 )); then
  pass "bench (serial, direct, balanced against the two bundle engines: identical outputs)"
  sed -n '/^[[:space:]]*[Mm]ode/,/^$/p' "$work/bench.log" | head -n 8 | sed 's/^/     /'
else
  fail bench "$(tail_of "$work/bench.log" 8)"
fi

kill -TERM "$e1" "$e2" 2>/dev/null
stopped=0
for _ in $(seq 1 30); do
  if ! kill -0 "$e1" 2>/dev/null && ! kill -0 "$e2" 2>/dev/null; then
    stopped=1
    break
  fi
  sleep 0.5
done
if (( stopped )); then
  pass "engines-stop (SIGTERM)"
else
  fail engines-stop "still running 15 s after SIGTERM"
fi

# ---------------------------------------------------------------------------------------------------------------
find /opt/greylab -type f 2>/dev/null | sort >"$work/files-after"
written="$(comm -13 "$work/files-before" "$work/files-after" | head -n 5 | tr '\n' ' ')"
if [[ -n "$written" ]]; then
  fail install-folder-untouched "the app wrote into /opt/greylab: $written"
else
  pass install-folder-untouched
fi

if dpkg -r greylab >"$work/remove.log" 2>&1; then
  installed_by_us=0
  dpkg -P greylab >/dev/null 2>&1
  left=()
  [[ -e /opt/greylab ]] && left+=("/opt/greylab")
  [[ -e /usr/bin/greylab || -L /usr/bin/greylab ]] && left+=("/usr/bin/greylab")
  compgen -G '/usr/share/applications/*greylab*.desktop' >/dev/null && left+=("desktop entry")
  compgen -G '/usr/share/icons/hicolor/*/apps/greylab.png' >/dev/null && left+=("icons")
  if (( ${#left[@]} )); then
    fail uninstall "left behind: ${left[*]}"
  else
    pass "uninstall (dpkg -r: /opt/greylab, /usr/bin/greylab, desktop entry and icons gone)"
  fi
else
  fail uninstall "$(tail_of "$work/remove.log")"
fi

if (( failures )); then
  echo "verify: $failures step(s) FAILED"
  exit 1
fi
echo "verify: all steps passed"
