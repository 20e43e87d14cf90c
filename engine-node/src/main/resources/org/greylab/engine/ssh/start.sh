# Unpacks the bundle when one was just copied, starts the engines in the background and waits for their ready lines
# (run with sh over ssh, after the variables). The engines outlive this ssh session: each runs in a session of its
# own (setsid), ignores SIGHUP (nohup), and under the user's systemd in a scope of its own where there is one (a
# logind that kills a session's processes at logout then leaves it alone). The key reaches each engine through a
# pipe: never on a command line, never in a file.
# version hash upload cluster key engines address join label slots idle insecure timeout systemd
set -u
umask 077
cache="$HOME/.cache/greylab"
dir="$cache/engine-$version"
if [ -n "$upload" ]; then
  rm -rf "$dir.new"
  if ! { mkdir -p "$dir.new" && tar -xzf "$cache/$upload" -C "$dir.new" --strip-components=1; }; then
    rm -rf "$dir.new"
    rm -f "$cache/$upload"
    echo "greylab-fail=unpack"
    exit 3
  fi
  rm -f "$cache/$upload"
  printf '%s\n' "$hash" > "$dir.new/.bundle-sha256"
  if ! { rm -rf "$dir" && mv "$dir.new" "$dir"; }; then
    echo "greylab-fail=unpack"
    exit 3
  fi
fi
logs="$cache/engines"
mkdir -p "$logs" || { echo "greylab-fail=cannot make $logs"; exit 3; }
pids=""
i=1
while [ "$i" -le "$engines" ]; do
  name="$label"
  [ "$engines" -gt 1 ] && name="$label-$i"
  log="$logs/$cluster-$i.log"
  set -- "$dir/bin/greylab-engine" --cluster "$cluster" --interface "$address" --join "$join" --name "$name" \
    --idle-timeout "$idle" --warm-up
  [ -n "$slots" ] && set -- "$@" --slots "$slots"
  if [ "$insecure" = yes ]; then
    set -- "$@" --insecure-no-key
  else
    set -- "$@" --key-file -
  fi
  [ "$systemd" = yes ] && set -- systemd-run --user --scope --quiet --collect "--unit=greylab-engine-$cluster-$i" "$@"
  printf '%s\n' "$key" | setsid nohup "$@" > "$log" 2>&1 &
  pids="$pids $!"
  i=$((i + 1))
done
deadline=$(( $(date +%s) + timeout ))
i=1
for pid in $pids; do
  log="$logs/$cluster-$i.log"
  while ! grep -q '" ready at ' "$log" 2>/dev/null; do
    failed=""
    kill -0 "$pid" 2>/dev/null || failed=start
    [ "$(date +%s)" -ge "$deadline" ] && failed=timeout
    if [ -n "$failed" ]; then
      echo "greylab-fail=$failed"
      tail -n 12 "$log" 2>/dev/null | sed 's/^/greylab-log=/'
      # this host's other engines too: a host starts all its engines or none
      kill $pids 2>/dev/null
      exit 4
    fi
    sleep 0.2
  done
  echo "greylab-ready=$pid $(grep -m 1 '" ready at ' "$log")"
  i=$((i + 1))
done
grep -h -m 1 '^greylab-engine: ' "$logs/$cluster-1.log" 2>/dev/null | sed 's/^/greylab-runtime=/'
exit 0
