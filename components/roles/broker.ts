import * as pulumi from "@pulumi/pulumi";
import { UNLIMITED } from "../platforms/driver";
import { installService } from "./service";
import { defineRole, noSettings } from "./role";

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
${installService(
    "10-rabbitmq",
    `mkdir -p /var/log/rabbitmq /run/rabbitmq
chown rabbitmq:rabbitmq /var/log/rabbitmq /run/rabbitmq /var/lib/rabbitmq
rabbitmqctl -q ping >/dev/null 2>&1 || su rabbitmq -s /bin/sh -c 'cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq nohup /usr/lib/rabbitmq/bin/rabbitmq-server >/var/log/rabbitmq/startup.log 2>&1 &'`,
)}
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

/** The message broker the sensors publish to. */
export const brokerRole = defineRole({
    name: "broker",
    type: "Broker",
    defaults: { vcpus: 1, memoryMiB: 1024, ...UNLIMITED },
    ...noSettings,
    compactGuest: "core",
    needs: [],
    setup(ctx) {
        // Erlang's JIT is the worst case for emulation: RabbitMQ took 426 s to accept AMQP under TCG here.
        const ready = ctx.emulated.apply((e) => (e ? 1200 : 300));
        return {
            script: pulumi
                .all([ctx.secrets.brokerPassword, ready])
                .apply(([password, readyTimeoutSeconds]) => brokerScript({ password, memoryMiB: ctx.config.memoryMiB, readyTimeoutSeconds })),
            timeoutSeconds: ready.apply((t) => t + 60),
            endpoints: { amqpUrl: pulumi.interpolate`amqp://vtb:${ctx.secrets.brokerPassword}@${ctx.address}:${AMQP_PORT}` },
        };
    },
});
