# Stops the engines of one cluster on this host, and nothing else (run with sh over ssh, after the variables): a pid
# counts only while its command line still names the cluster, since the system reuses the pids of ended processes.
# cluster pids wait
set -u
ours=""
for pid in $pids; do
  # -ww: the whole command line, however long (some ps cut it at 80 columns when writing to a pipe)
  if ps -ww -o args= -p "$pid" 2>/dev/null | grep -q -F -e "--cluster $cluster "; then
    ours="$ours $pid"
  fi
done
if [ -z "$ours" ]; then
  echo "greylab-stopped=0"
  exit 0
fi
# SIGTERM: each engine leaves the cluster in order
kill -TERM $ours 2>/dev/null
tries=0
alive="$ours"
while [ -n "$alive" ] && [ "$tries" -lt $((wait * 5)) ]; do
  sleep 0.2
  tries=$((tries + 1))
  still=""
  for pid in $alive; do
    kill -0 "$pid" 2>/dev/null && still="$still $pid"
  done
  alive="$still"
done
if [ -n "$alive" ]; then
  kill -KILL $alive 2>/dev/null
  echo "greylab-killed=$alive"
fi
echo "greylab-stopped=$(echo $ours | wc -w)"
