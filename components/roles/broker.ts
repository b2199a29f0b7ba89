import * as pulumi from "@pulumi/pulumi";
import { UNLIMITED } from "../platforms/driver";
import { installService } from "./service";
import { defineRole, noSettings } from "./role";

export const AMQP_PORT = 5672;

/**
 * RabbitMQ with the stack's own user, made on the node's first boot in place of the default
 * `guest` user. Erlang sizes its memory watermark from what it believes the machine has, so it is
 * told the guest's real size. One rabbitmqctl run at most: each starts an Erlang VM, which takes
 * tens of seconds under emulation.
 */
export function brokerScript(p: { password: string; memoryMiB: number; readyTimeoutSeconds: number }): string {
    return `(umask 027; cat > /etc/rabbitmq/rabbitmq.conf) <<'VTB_CONF'
listeners.tcp.default = ${AMQP_PORT}
total_memory_available_override_value = ${p.memoryMiB}MB
vm_memory_high_watermark.relative = 0.6
default_user = vtb
default_pass = ${p.password}
VTB_CONF
chown root:rabbitmq /etc/rabbitmq/rabbitmq.conf
# A file left by an earlier set-up keeps its mode through the rewrite: it now holds the password.
chmod 640 /etc/rabbitmq/rabbitmq.conf
${installService(
    "10-rabbitmq",
    `mkdir -p /var/log/rabbitmq /run/rabbitmq
chown rabbitmq:rabbitmq /var/log/rabbitmq /run/rabbitmq /var/lib/rabbitmq
pgrep -u rabbitmq -x beam.smp >/dev/null || su rabbitmq -s /bin/sh -c 'cd /var/lib/rabbitmq && HOME=/var/lib/rabbitmq nohup /usr/lib/rabbitmq/bin/rabbitmq-server >/var/log/rabbitmq/startup.log 2>&1 &'`,
)}
deadline=$(( $(date +%s) + ${p.readyTimeoutSeconds} ))
# Each wait gets the time left, so the whole stays within the deadline.
left() { l=$(( deadline - $(date +%s) )); [ $l -gt 1 ] && echo $l || echo 1; }
until rabbitmqctl -q await_startup --timeout $(left) >/dev/null 2>&1; do
  [ $(date +%s) -lt $deadline ] || { echo "RabbitMQ not ready after ${p.readyTimeoutSeconds} s" >&2; tail -20 /var/log/rabbitmq/startup.log >&2; exit 1; }
  sleep 2
done
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
