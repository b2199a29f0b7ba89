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
  ( set -a; . /etc/vtb/ingest.env; exec node /opt/vtb/workloads/guest/ingest/worker.js ) >>/var/log/vtb-ingest-$i.log 2>&1 &
  echo $! >> $pidfile
  i=$((i + 1))
done
VTB_SERVICE
sh /etc/vtb/services.d/30-ingest.sh

sleep 2
for p in $(cat /run/vtb-ingest.pids); do kill -0 $p || { tail -20 /var/log/vtb-ingest-*.log >&2; exit 1; }; done
