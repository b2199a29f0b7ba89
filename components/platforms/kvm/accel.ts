import { spawn } from "child_process";
import * as fs from "fs";
import { Accel } from "./libvirtDomain";

const CACHE = "/run/virt-testbed/accel";

/**
 * Does KVM really run a guest here? /dev/kvm can open and still hang (as on this machine), so
 * boot the base kernel under -accel kvm for a few seconds and look for its first words on the
 * serial console. Anything else means TCG, i.e. emulation. The answer is kept until reboot.
 */
export async function probeAccel(kernel: string, timeoutMs = 15_000): Promise<Accel> {
    if (fs.existsSync(CACHE)) return fs.readFileSync(CACHE, "utf8").trim() === "kvm" ? "kvm" : "tcg";
    let accel: Accel = "tcg";
    if (fs.existsSync("/dev/kvm")) {
        accel = await new Promise<Accel>((resolve) => {
            const qemu = spawn(
                "qemu-system-x86_64",
                [
                    "-accel",
                    "kvm",
                    "-m",
                    "256",
                    "-nographic",
                    "-nodefaults",
                    "-no-reboot",
                    "-serial",
                    "stdio",
                    "-kernel",
                    kernel,
                    "-append",
                    "console=ttyS0 panic=-1",
                ],
                { stdio: ["ignore", "pipe", "ignore"] },
            );
            let out = "";
            const finish = (a: Accel) => {
                clearTimeout(timer);
                qemu.kill("SIGKILL"); // our own child, by PID
                resolve(a);
            };
            const timer = setTimeout(() => finish("tcg"), timeoutMs);
            qemu.stdout.on("data", (d: Buffer) => {
                out += d;
                if (out.includes("Linux version")) finish("kvm");
            });
            qemu.on("error", () => finish("tcg"));
            qemu.on("exit", () => finish(out.includes("Linux version") ? "kvm" : "tcg"));
        });
    }
    fs.mkdirSync("/run/virt-testbed", { recursive: true });
    fs.writeFileSync(CACHE, `${accel}\n`);
    return accel;
}
