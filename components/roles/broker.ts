import { installService } from "./service";

export const AMQP_PORT = 5672;

/**
 * RabbitMQ with the stack's own user; the default `guest` user is removed. Erlang sizes its memory
 * watermark from what it believes the machine has, so it is told the guest's real size.
 */
export function brokerScript(p: { password: string; memoryMiB: number; readyTimeoutSeconds: number }): string {
    return `cat > /etc/rabbitmq/rabbitmq.conf <<'VTB_CONF'
listeners.tcp.default = ${AMQP_PORT}
total_memory_available_override_value = ${p.memoryMiB}MB
vm_memory_high_watermark.relative = 0.6
VTB_CONF
${installService("10-rabbitmq", `mkdir -p /var/log/rabbitmq /run/rabbitmq
chown rabbitmq:rabbitmq /var/log/rabbitmq /run/rabbitmq /var/lib/rabbitmq
rabbitmqctl -q ping >/dev/null 2>&1 || su rabbitmq -s /bin/sh -c 'cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq nohup /usr/lib/rabbitmq/bin/rabbitmq-server >/var/log/rabbitmq/startup.log 2>&1 &'`)}
deadline=$(( $(date +%s) + ${p.readyTimeoutSeconds} ))
until rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
  [ $(date +%s) -lt $deadline ] || { echo "RabbitMQ not ready after ${p.readyTimeoutSeconds} s" >&2; tail -20 /var/log/rabbitmq/startup.log >&2; exit 1; }
  sleep 1
done
if rabbitmqctl -q list_users | grep -q '^vtb[[:space:]]'; then
  rabbitmqctl -q change_password vtb '${p.password}' >/dev/null
else
  rabbitmqctl -q add_user vtb '${p.password}' >/dev/null
fi
rabbitmqctl -q set_permissions -p / vtb '.*' '.*' '.*'
rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
`;
}
