umask 077; mkdir -p $(dirname /etc/vtb/viz.env)
cat > /etc/vtb/viz.env <<'VTB_ENV'
PG_URL=postgres://u:p@d/sensing
PORT=8080
VTB_ENV

mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/40-viz.sh <<'VTB_SERVICE'
pidfile=/run/vtb-viz.pids
[ -f $pidfile ] && for p in $(cat $pidfile); do kill $p 2>/dev/null || true; done
: > $pidfile
i=1
while [ $i -le 1 ]; do
  (
    trap 'kill $child 2>/dev/null; exit 0' TERM INT
    delay=1
    while :; do
      started=$(date +%s)
      rm -f /run/vtb-viz-$i.pid
      ( set -a; . /etc/vtb/viz.env; PID_FILE=/run/vtb-viz-$i.pid; exec node /opt/vtb/workloads/guest/viz/server.js ) &
      child=$!
      wait $child
      echo "$(date -Is) viz $i exited with $?; restarting in $delay s"
      [ $(( $(date +%s) - started )) -ge 60 ] && delay=1
      sleep $delay
      [ $delay -lt 30 ] && delay=$((delay * 2))
    done
  ) >>/var/log/vtb-viz-$i.log 2>&1 &
  echo $! >> $pidfile
  i=$((i + 1))
done
VTB_SERVICE
sh /etc/vtb/services.d/40-viz.sh

for i in $(seq 50); do node -e "require('http').get('http://127.0.0.1:8080/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" && exit 0; sleep 0.2; done
tail -20 /var/log/vtb-viz-1.log >&2; exit 1
