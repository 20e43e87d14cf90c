#!/usr/bin/env bash
# A lab of three hosts on this machine, to run Greylab's engines on more than one host (run as root on Linux):
# each host is a network namespace with an address of its own on a bridge, an sshd on that address (a throwaway host
# key), and a throwaway user with a home of its own and no java on the PATH. Greylab runs from the root namespace,
# as a lab user's desktop would: it starts the engines with 'greylab engines start --ssh' and converts over them.
#
#   installer/lab/lab.sh up      make the hosts (installs openssh-server when sshd is missing)
#   installer/lab/lab.sh test    up when not up, the checks (one line each: PASS or FAIL), then down again
#   installer/lab/lab.sh down    remove exactly what up made, whatever state a test left it in
#
# GREYLAB_LAB_DIR (default /tmp/greylab-lab) holds its state: keys, configurations, homes, outputs and the list of
# what up made, which down undoes. GREYLAB_LAB_NET (default 10.151.0) is the /24 it uses: .1 is this machine's
# address on the bridge, .11, .12 and .13 the hosts'. The engine bundle is built with the installer profile when it
# is missing or older than the engine jar (a JDK 22+ is needed for that).
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
lab="${GREYLAB_LAB_DIR:-/tmp/greylab-lab}"
net="${GREYLAB_LAB_NET:-10.151.0}"
hosts=(1 2 3)
bridge=gllab-br
made="$lab/made"

ns() { echo "gllab-h$1"; }          # the host's network namespace
veth() { echo "gllab-h$1"; }        # its link's end on the bridge (the other end is eth0 in the namespace)
user() { echo "gllab$1"; }          # its throwaway user
addr() { echo "$net.1$1"; }         # its address

say() { echo "lab: $*"; }
die() { echo "lab: $*" >&2; exit 2; }
record() { echo "$*" >> "$made"; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "run as root (it makes network namespaces, links and users): sudo $0 $*"
  command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || die "'ip netns' does not work here (iproute2 and a kernel with network namespaces are needed)"
}

is_up() { [[ -f "$made" ]] && grep -q '^ready$' "$made" && sshd_alive; }

# every sshd that up started still runs (a lab whose processes were killed, by a reboot or by a kill of everything
# its terminal started, leaves its state behind: namespaces, users and a "ready" line, with no sshd to log in to)
sshd_alive() {
  local pidfile pid
  while read -r pidfile; do
    pid="$(cat "$pidfile" 2>/dev/null)" || return 1
    tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q sshd || return 1
  done < <(awk '$1 == "sshd" { print $2 }' "$made")
}

up() {
  need_root up
  if is_up; then
    say "already up ($lab); 'lab.sh down' first to make it again"
    return 0
  fi
  if [[ -e "$made" ]]; then
    say "$lab holds a lab that is not running (not finished, or its sshd are gone): removing it first"
    down
  fi
  if [[ ! -x /usr/sbin/sshd ]]; then
    say "installing openssh-server (sshd is missing)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null || die "openssh-server could not be installed"
  fi
  for h in "${hosts[@]}"; do
    ip netns list | grep -qw "$(ns "$h")" && die "the namespace $(ns "$h") exists already (not made by this lab's state in $lab)"
    id "$(user "$h")" >/dev/null 2>&1 && die "the user $(user "$h") exists already (not made by this lab's state in $lab)"
  done
  ip link show "$bridge" >/dev/null 2>&1 && die "the link $bridge exists already (not made by this lab's state in $lab)"

  mkdir -p "$lab" && chmod 755 "$lab"
  : > "$made"
  record "dir $lab"
  if [[ ! -d /run/sshd ]]; then
    # sshd's privilege separation folder, which a fresh openssh-server install leaves to its service to make
    mkdir -p /run/sshd && chmod 755 /run/sshd
    record "dir /run/sshd"
  fi
  ssh-keygen -q -t ed25519 -N '' -C greylab-lab-client -f "$lab/client_key"
  : > "$lab/known_hosts"

  record "link $bridge"
  ip link add "$bridge" type bridge && ip addr add "$net.1/24" dev "$bridge" && ip link set "$bridge" up \
    || die "the bridge $bridge could not be made"
  for h in "${hosts[@]}"; do
    local n u home
    n="$(ns "$h")"; u="$(user "$h")"; home="$lab/home/$u"
    record "netns $n"
    ip netns add "$n" || die "the namespace $n could not be made"
    record "link $(veth "$h")"
    ip link add "$(veth "$h")" type veth peer name eth0 netns "$n" || die "the link $(veth "$h") could not be made"
    ip link set "$(veth "$h")" master "$bridge" up
    ip -n "$n" link set lo up
    ip -n "$n" addr add "$(addr "$h")/24" dev eth0
    ip -n "$n" link set eth0 up

    record "user $u"
    # a password of "*": no password logs in, yet the account is not locked (sshd refuses locked accounts their keys)
    useradd --no-create-home --home-dir "$home" --shell /bin/sh --password "*" --comment "greylab lab host $h" "$u" \
      || die "the user $u could not be made"
    mkdir -p "$home/.ssh"
    cp "$lab/client_key.pub" "$home/.ssh/authorized_keys"
    chown -R "$u:" "$home"
    chmod 700 "$home" "$home/.ssh"

    local etc="$lab/h$h"
    mkdir -p "$etc"
    ssh-keygen -q -t ed25519 -N '' -C "greylab-lab-h$h" -f "$etc/host_key"
    echo "$(addr "$h") $(cut -d' ' -f1-2 "$etc/host_key.pub")" >> "$lab/known_hosts"
    cat > "$etc/sshd_config" <<EOF
ListenAddress $(addr "$h")
Port 22
HostKey $etc/host_key
PidFile $etc/sshd.pid
AllowUsers $u
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
EOF
    # sshd in a mount namespace of its own where /usr/lib/jvm is empty: its logins find no java anywhere, so the
    # engines can only run on the bundle's own runtime
    record "sshd $etc/sshd.pid"
    ip netns exec "$n" unshare --mount --propagation private sh -c \
      "mount -t tmpfs -o size=1m,mode=755 greylab-lab-no-java /usr/lib/jvm && exec /usr/sbin/sshd -f '$etc/sshd_config'" \
      || die "sshd could not be started in $n"
  done
  cat > "$lab/ssh_config" <<EOF
Host $net.*
  IdentityFile $lab/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $lab/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
EOF
  : > "$lab/hosts"
  for h in "${hosts[@]}"; do
    echo "$(user "$h")@$(addr "$h")" >> "$lab/hosts"
  done
  for h in "${hosts[@]}"; do
    local tries=0
    until ssh -F "$lab/ssh_config" -o BatchMode=yes -o ConnectTimeout=2 "$(user "$h")@$(addr "$h")" true 2>/dev/null; do
      tries=$((tries + 1))
      (( tries < 25 )) || die "$(user "$h")@$(addr "$h") does not accept the lab's key"
      sleep 0.2
    done
  done
  record ready
  say "up: hosts $(tr '\n' ' ' < "$lab/hosts")(ssh -F $lab/ssh_config)"
}

down() {
  need_root down
  if [[ ! -f "$made" ]]; then
    say "nothing to remove (no $made)"
    return 0
  fi
  local line kind what
  # in reverse: what was made last goes first
  tac "$made" | while read -r kind what; do
    case "$kind" in
      sshd)
        [[ -f "$what" ]] && kill -TERM "$(cat "$what")" 2>/dev/null
        ;;
      user)
        # whatever the throwaway user still runs (engines a failed test left), then the user
        if id "$what" >/dev/null 2>&1; then
          pkill -TERM -u "$what" 2>/dev/null && sleep 1
          pkill -KILL -u "$what" 2>/dev/null
          userdel "$what" 2>/dev/null || say "the user $what could not be removed"
        fi
        ;;
      netns)
        local pid
        for pid in $(ip netns pids "$what" 2>/dev/null); do
          kill -KILL "$pid" 2>/dev/null
        done
        ip netns del "$what" 2>/dev/null
        ;;
      link)
        ip link show "$what" >/dev/null 2>&1 && ip link del "$what"
        ;;
      dir)
        [[ "$what" == "$lab" ]] || rm -rf "$what"
        ;;
    esac
  done
  rm -rf "$lab"
  say "down: removed what up made"
}

# ---------------------------------------------------------------------------------------------------------------
failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
greylab() { "$repo/greylab" "$@"; }
# seconds since the epoch, with decimals
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# the images: the samples four times over, in folders of their own, so that a run lasts long enough to cut a link
make_input() {
  local input="$lab/input" copy
  rm -rf "$input"
  for copy in a b c d; do
    mkdir -p "$input/$copy"
    cp -r "$repo/assets/samples/." "$input/$copy/"
    rm -f "$input/$copy/LICENSES.md"
  done
  find "$input" -type f | wc -l
}

build_bundle() {
  local version bundle jar
  version="$(sed -n 's:.*<app.version>\(.*\)</app.version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
  bundle="$repo/installer/target/greylab-engine-$version-linux-x64.tar.gz"
  jar="$repo/engine-node/target/engine-node.jar"
  if [[ -f "$bundle" && ( ! -f "$jar" || "$bundle" -nt "$jar" ) && -f "$repo/app/target/greylab-app.jar" ]]; then
    echo "$bundle"
    return 0
  fi
  local jdk
  jdk="$(ls -d /usr/lib/jvm/temurin-2[2-9]-jdk* /usr/lib/jvm/*-2[2-9]-* 2>/dev/null | head -n 1)"
  say "building the engine bundle (installer profile, ${jdk:-the JDK of JAVA_HOME})" >&2
  (cd "$repo" && JAVA_HOME="${jdk:-${JAVA_HOME:-}}" PATH="${jdk:+$jdk/bin:}$PATH" \
    mvn -B -q ${GREYLAB_LAB_MVN_OPTS:-} -DskipTests -Dinstaller.skipDeb=true -Pinstaller package) >&2 || return 1
  echo "$bundle"
}

# engine processes (java) in a host's namespace
engines_in() { ip netns pids "$(ns "$1")" 2>/dev/null | while read -r pid; do
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- '--cluster' && echo "$pid"; done; }

count_engines() {
  # the table's rows: an id, a name, then an address
  greylab engines --cluster-file "$cluster" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ && $3 ~ /:[0-9]+$/ { n++ } END { print n + 0 }'
}

cluster=""
test_lab() {
  need_root test
  local t0 made_here=0
  t0="$(now)"
  if ! is_up; then
    up || exit 1
    made_here=1
  fi
  # down again at the end, whatever happens, when this test made it
  (( made_here )) && trap 'down' EXIT

  local bundle
  bundle="$(build_bundle)" || { fail bundle "the installer build failed"; exit 1; }
  pass "bundle $(basename "$bundle"): $(du -m "$bundle" | cut -f1) MB, its runtime/ $(tar -tvzf "$bundle" | awk '$6 ~ /\/runtime\// { s += $3 } END { printf "%d", s / 1048576 }') MB unpacked"

  # no java on the hosts: nothing installed, the bundle brings its runtime
  local h out
  for h in "${hosts[@]}"; do
    out="$(ssh -F "$lab/ssh_config" -o BatchMode=yes "$(user "$h")@$(addr "$h")" \
      'echo "PATH=$PATH"; command -v java || echo "no java"; ls /usr/lib/jvm' 2>&1)"
    if grep -qx "no java" <<< "$out"; then
      pass "host $h has no java on its PATH ($(head -n 1 <<< "$out"))"
    else
      fail "host $h has no java" "$(tr '\n' ' ' <<< "$out")"
    fi
  done

  cluster="$lab/lab.cluster"
  local hostlist refused unreachable start_out start_rc start_s
  hostlist="$(paste -sd, "$lab/hosts")"
  # a login the second host refuses (the user is not allowed there), and an address no one has
  refused="$(user 1)@$(addr 2)"
  unreachable="$(user 1)@$net.99"
  start_s="$(now)"
  start_out="$(greylab engines start --ssh "$hostlist,$refused,$unreachable" --ssh-config "$lab/ssh_config" \
    --ssh-timeout 5 --cluster-file "$cluster" --idle-timeout 10m 2>&1)"
  start_rc=$?
  start_s="$(elapsed "$start_s")"
  echo "$start_out" | sed 's/^/  | /'
  if [[ $start_rc -eq 1 ]] && [[ $(grep -cE '^[^ ]+ +1/1 .* running' <<< "$start_out") -eq 3 ]]; then
    pass "engines start --ssh: 3 hosts running, exit 1 for the 2 that failed (${start_s} s in all)"
  else
    fail "engines start --ssh" "exit $start_rc, expected 1 with 3 hosts running"
  fi
  local refused_row refused_s
  refused_row="$(grep -F "$refused " <<< "$start_out")"
  refused_s="$(awk '{ print $4 }' <<< "$refused_row")"
  if grep -q "login refused" <<< "$refused_row" && awk -v s="$refused_s" 'BEGIN { exit !(s < 15) }'; then
    pass "a refused login says so in its row within 15 s ($refused_s s)"
  else
    fail "refused login" "row: $refused_row"
  fi
  grep -F "$unreachable " <<< "$start_out" | grep -q "unreachable" \
    && pass "an unreachable host says so in its row" || fail "unreachable host" "$(grep -F "$unreachable " <<< "$start_out")"
  grep -q "^Java: the bundle's runtime" <<< "$start_out" \
    && pass "the engines run on the bundle's own runtime" || fail "runtime" "the launcher did not say it uses the bundle's runtime"

  local listed
  listed="$(count_engines)"
  [[ "$listed" -eq 3 ]] && pass "greylab engines --cluster-file lists 3 engines" \
    || fail "greylab engines" "$listed engines listed, expected 3"

  local n_images
  n_images="$(make_input)"
  local serial="$lab/out-serial" t
  rm -rf "$serial"
  t="$(now)"
  greylab convert "$lab/input" --output "$serial" > "$lab/serial.log" 2>&1 \
    && pass "serial: $n_images images ($(elapsed "$t") s)" || fail serial "$(tail -n 3 "$lab/serial.log" | tr '\n' ' ')"
  local mode
  for mode in direct balanced; do
    rm -rf "$lab/out-$mode"
    t="$(now)"
    if greylab convert "$lab/input" --mode "$mode" --cluster-file "$cluster" --output "$lab/out-$mode" \
        > "$lab/$mode.log" 2>&1 && diff -r -q --exclude=.greylab "$serial" "$lab/out-$mode" > /dev/null; then
      pass "$mode over 3 hosts: $n_images images, byte-identical to serial ($(elapsed "$t") s)"
    else
      fail "$mode" "$(tail -n 3 "$lab/$mode.log" | tr '\n' ' '); $(diff -r -q --exclude=.greylab "$serial" "$lab/out-$mode" 2>&1 | head -n 2 | tr '\n' ' ')"
    fi
  done

  # a link cut mid-run: the third host's engine stops answering; its images go to the others
  rm -rf "$lab/out-cut"
  greylab convert "$lab/input" --mode balanced --cluster-file "$cluster" --output "$lab/out-cut" \
    > "$lab/cut.log" 2>&1 &
  local convert_pid=$! waited=0
  until [[ $(find "$lab/out-cut" -type f -not -name '.*' 2>/dev/null | wc -l) -ge 6 ]] || (( waited > 600 )); do
    sleep 0.1
    waited=$((waited + 1))
  done
  ip link set "$(veth 3)" down
  local cut_at n=0
  cut_at="$(now)"
  wait "$convert_pid"
  local cut_rc=$?
  sed 's/^/  | /' "$lab/cut.log" | grep -v '^  | *$' | tail -n 20
  if [[ $cut_rc -eq 0 ]] && diff -r -q --exclude=.greylab "$serial" "$lab/out-cut" > /dev/null; then
    pass "link of host 3 cut mid-run: all $n_images images converted, byte-identical to serial (run ended $(elapsed "$cut_at") s after the cut)"
  else
    fail "link cut" "exit $cut_rc; $(diff -r -q --exclude=.greylab "$serial" "$lab/out-cut" 2>&1 | head -n 3 | tr '\n' ' ')"
  fi
  local lost
  lost="$(grep -E -m 1 "did not finish .* within its deadline|was lost|is gone" "$lab/cut.log" | sed 's/^greylab WARN: //')"
  [[ "$lost" == *"$(addr 3)"* ]] && pass "the lost host is reported: $lost" \
    || fail "lost host" "the run's output does not name the engine of $(addr 3)"

  # the link stays down long enough for the others to take host 3's engine off (20 s without a heartbeat), so that
  # its return goes through Hazelcast's split-brain merge
  while awk -v s="$(elapsed "$cut_at")" 'BEGIN { exit !(s < 25) }'; do sleep 1; done
  n="$(count_engines)"
  [[ "$n" -eq 2 ]] && pass "while the link is down: 2 engines listed" || fail "link down" "$n engines listed, expected 2"

  # the link restored: the host's engine back in the cluster
  ip link set "$(veth 3)" up
  local back_at seen_at
  back_at="$(now)"
  # timed from the start of the listing that sees it: the listing itself (a client JVM that starts, connects and
  # has every engine prove the key) takes 5-13 s on a loaded machine and is no part of the engine's return
  while :; do
    seen_at="$(elapsed "$back_at")"
    awk -v s="$seen_at" 'BEGIN { exit !(s > 30) }' && break
    n="$(count_engines)"
    [[ "$n" -eq 3 ]] && break
  done
  [[ "$n" -eq 3 ]] && pass "link restored: host 3's engine back in 'greylab engines' (a listing started $seen_at s after the link came back)" \
    || fail "link restored" "$n engines listed by every listing started within 30 s of the link coming back"

  # traffic shaping: 1 ms more each way and 1 % loss on every host's link, when the kernel has netem
  if tc qdisc add dev "$(veth 1)" root netem delay 1ms loss 1% 2>/dev/null; then
    for h in 2 3; do tc qdisc add dev "$(veth "$h")" root netem delay 1ms loss 1%; done
    for h in "${hosts[@]}"; do ip netns exec "$(ns "$h")" tc qdisc add dev eth0 root netem delay 1ms loss 1%; done
    rm -rf "$lab/out-netem"
    t="$(now)"
    if greylab convert "$lab/input" --mode balanced --cluster-file "$cluster" --output "$lab/out-netem" \
        > "$lab/netem.log" 2>&1 && diff -r -q --exclude=.greylab "$serial" "$lab/out-netem" > /dev/null; then
      pass "netem 1 ms + 1 % loss: balanced $(elapsed "$t") s ($(grep -o '[0-9.]* images/s' "$lab/netem.log" | head -n 1)) against $(grep -o '[0-9.]* images/s' "$lab/balanced.log" | head -n 1) without"
    else
      fail "netem" "$(tail -n 3 "$lab/netem.log" | tr '\n' ' ')"
    fi
    for h in "${hosts[@]}"; do
      tc qdisc del dev "$(veth "$h")" root 2>/dev/null
      ip netns exec "$(ns "$h")" tc qdisc del dev eth0 root 2>/dev/null
    done
  else
    echo "SKIP netem: this kernel has no netem queueing discipline ($(tc qdisc add dev "$(veth 1)" root netem delay 1ms 2>&1 | head -n 1))"
  fi

  local stop_out
  stop_out="$(greylab engines stop --cluster-file "$cluster" 2>&1)"
  echo "$stop_out" | sed 's/^/  | /'
  local left=""
  for h in "${hosts[@]}"; do
    left+="$(engines_in "$h")"
  done
  if [[ -z "$left" && ! -e "$cluster" ]]; then
    pass "engines stop: no engine process left in any host's namespace, cluster file removed"
  else
    fail "engines stop" "left: ${left:-none}; cluster file $( [[ -e "$cluster" ]] && echo kept || echo removed)"
  fi
  local cache_kept=1
  for h in "${hosts[@]}"; do
    ls -d "$lab/home/$(user "$h")"/.cache/greylab/engine-* >/dev/null 2>&1 || cache_kept=0
  done
  (( cache_kept )) && pass "engines stop removes nothing else (each host keeps its bundle in ~/.cache/greylab)" \
    || fail "engines stop" "a host's ~/.cache/greylab bundle is gone"

  # hosts that cannot run engines, and one that can: host 1's bundle runtime does not run (as on a machine it was
  # not built for) and it has no java to fall back on; host 2's ~/.cache/greylab is a 30 MB disk; host 3 starts
  local version
  version="${bundle##*greylab-engine-}"
  version="${version%-linux-x64.tar.gz}"
  printf '\177ELF\002\001\001\000' > "$lab/home/$(user 1)/.cache/greylab/engine-$version/runtime/bin/java"
  nsenter -t "$(cat "$lab/h2/sshd.pid")" -m -- mount -t tmpfs -o "size=30m,mode=700,uid=$(id -u "$(user 2)"),gid=$(id -g "$(user 2)")" \
    greylab-lab-small "$lab/home/$(user 2)/.cache/greylab"
  start_out="$(greylab engines start --hosts-file "$lab/hosts" --ssh-config "$lab/ssh_config" --ssh-timeout 5 \
    --cluster-file "$cluster" --idle-timeout 10m 2>&1)"
  start_rc=$?
  echo "$start_out" | grep -v '^  ' | sed 's/^/  | /'
  local row1 row2
  row1="$(grep -E "^$(user 1)@$(addr 1) " <<< "$start_out")"
  row2="$(grep -E "^$(user 2)@$(addr 2) " <<< "$start_out")"
  [[ "$row1" == *"failed: runtime cannot start: greylab-engine: no Java found"* ]] \
    && pass "a host whose runtime cannot run and that has no java says so in its row" || fail "runtime cannot start" "row: $row1"
  [[ "$row2" == *"failed: disk full:"* ]] && pass "a host without room for the bundle says so in its row" \
    || fail "disk full" "row: $row2"
  [[ $start_rc -eq 1 && $(grep -cE '^[^ ]+ +1/1 .* running' <<< "$start_out") -eq 1 ]] \
    && pass "the third host starts all the same (exit 1)" || fail "the third host" "exit $start_rc"
  greylab engines stop --cluster-file "$cluster" > /dev/null 2>&1
  left=""
  for h in "${hosts[@]}"; do
    left+="$(engines_in "$h")"
  done
  [[ -z "$left" ]] && pass "engines stop again: no engine left" || fail "engines stop again" "left: $left"

  echo "lab test: $failures failure(s), $(elapsed "$t0") s"
  (( failures == 0 ))
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  test) test_lab ;;
  *) echo "usage: $0 up|test|down (as root)" >&2; exit 2 ;;
esac
