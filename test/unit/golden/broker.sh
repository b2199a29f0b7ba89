(umask 027; cat > /etc/rabbitmq/rabbitmq.conf) <<'VTB_CONF'
listeners.tcp.default = 5672
total_memory_available_override_value = 1024MB
vm_memory_high_watermark.relative = 0.6
default_user = vtb
default_pass = PASSWORD
VTB_CONF
chown root:rabbitmq /etc/rabbitmq/rabbitmq.conf
# A file left by an earlier set-up keeps its mode through the rewrite: it now holds the password.
chmod 640 /etc/rabbitmq/rabbitmq.conf
mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/10-rabbitmq.sh <<'VTB_SERVICE'
mkdir -p /var/log/rabbitmq /run/rabbitmq
chown rabbitmq:rabbitmq /var/log/rabbitmq /run/rabbitmq /var/lib/rabbitmq
pgrep -u rabbitmq -x beam.smp >/dev/null || su rabbitmq -s /bin/sh -c 'cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq nohup /usr/lib/rabbitmq/bin/rabbitmq-server >/var/log/rabbitmq/startup.log 2>&1 &'
VTB_SERVICE
sh /etc/vtb/services.d/10-rabbitmq.sh

deadline=$(( $(date +%s) + 300 ))
# Each wait gets the time left, so the whole stays within the deadline.
left() { l=$(( deadline - $(date +%s) )); [ $l -gt 1 ] && echo $l || echo 1; }
until rabbitmqctl -q await_startup --timeout $(left) >/dev/null 2>&1; do
  [ $(date +%s) -lt $deadline ] || { echo "RabbitMQ not ready after 300 s" >&2; tail -20 /var/log/rabbitmq/startup.log >&2; exit 1; }
  sleep 2
done
