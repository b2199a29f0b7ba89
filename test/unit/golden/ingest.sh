umask 077; mkdir -p $(dirname /etc/vtb/ingest.env)
cat > /etc/vtb/ingest.env <<'VTB_ENV'
AMQP_URL=amqp://u:p@b:5672
PG_URL=postgres://u:p@d/sensing
VTB_ENV

mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/30-ingest.sh <<'VTB_SERVICE'
pidfile=/run/vtb-ingest.pids
[ -f $pidfile ] && for p in $(cat $pidfile); do kill $p 2>/dev/null || true; done
: > $pidfile
i=1
while [ $i -le 3 ]; do
  (
    trap 'kill $child 2>/dev/null; exit 0' TERM INT
    delay=1
    while :; do
      started=$(date +%s)
      rm -f /run/vtb-ingest-$i.pid
      ( set -a; . /etc/vtb/ingest.env; PID_FILE=/run/vtb-ingest-$i.pid; exec node /opt/vtb/workloads/guest/ingest/worker.js ) &
      child=$!
      wait $child
      echo "$(date -Is) ingest $i exited with $?; restarting in $delay s"
      [ $(( $(date +%s) - started )) -ge 60 ] && delay=1
      sleep $delay
      [ $delay -lt 30 ] && delay=$((delay * 2))
    done
  ) >>/var/log/vtb-ingest-$i.log 2>&1 &
  echo $! >> $pidfile
  i=$((i + 1))
done
VTB_SERVICE
sh /etc/vtb/services.d/30-ingest.sh

deadline=$(( $(date +%s) + 60 ))
i=1
while [ $i -le 3 ]; do
  until kill -0 "$(cat /run/vtb-ingest-$i.pid 2>/dev/null)" 2>/dev/null; do
    [ $(date +%s) -lt $deadline ] || { echo "ingest worker $i not consuming after 60 s" >&2; tail -20 /var/log/vtb-ingest-$i.log >&2; exit 1; }
    sleep 1
  done
  i=$((i + 1))
done
