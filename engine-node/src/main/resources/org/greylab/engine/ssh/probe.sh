# What a host has, for 'greylab engines start --ssh' (run with sh over ssh, after the variables; prints key=value).
# version: the bundle's version
set -u
cache="$HOME/.cache/greylab"
dir="$cache/engine-$version"
mkdir -p "$cache" && chmod 700 "$cache" || { echo "greylab-fail=cannot make $cache"; exit 3; }
# SSH_CONNECTION is "client-ip client-port server-ip server-port": the server address is the one we reached it by
set -- ${SSH_CONNECTION:-}
echo "address=${3:-}"
echo "hash=$(cat "$dir/.bundle-sha256" 2>/dev/null)"
echo "platform=$(uname -sm 2>/dev/null)"
echo "free-kib=$(df -Pk "$cache" 2>/dev/null | awk 'NR == 2 { print $4 }')"
if command -v systemd-run >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  echo "systemd=yes"
else
  echo "systemd=no"
fi
