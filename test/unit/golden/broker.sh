cat > /etc/rabbitmq/rabbitmq.conf <<'VTB_CONF'
listeners.tcp.default = 5672
total_memory_available_override_value = 1024MB
vm_memory_high_watermark.relative = 0.6
VTB_CONF
mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/10-rabbitmq.sh <<'VTB_SERVICE'
mkdir -p /var/log/rabbitmq /run/rabbitmq
chown rabbitmq:rabbitmq /var/log/rabbitmq /run/rabbitmq /var/lib/rabbitmq
rabbitmqctl -q ping >/dev/null 2>&1 || su rabbitmq -s /bin/sh -c 'cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq nohup /usr/lib/rabbitmq/bin/rabbitmq-server >/var/log/rabbitmq/startup.log 2>&1 &'
VTB_SERVICE
sh /etc/vtb/services.d/10-rabbitmq.sh

deadline=$(( $(date +%s) + 300 ))
until rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
  [ $(date +%s) -lt $deadline ] || { echo "RabbitMQ not ready after 300 s" >&2; tail -20 /var/log/rabbitmq/startup.log >&2; exit 1; }
  sleep 1
done
if rabbitmqctl -q list_users | grep -q '^vtb[[:space:]]'; then
  rabbitmqctl -q change_password vtb 'PASSWORD' >/dev/null
else
  rabbitmqctl -q add_user vtb 'PASSWORD' >/dev/null
fi
rabbitmqctl -q set_permissions -p / vtb '.*' '.*' '.*'
rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
