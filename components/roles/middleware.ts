import * as pulumi from "@pulumi/pulumi";
import { RemoteCommand } from "./remoteCommand";
import { RoleName, ROLES, roleNamed, AnyRole } from ".";
import type { Endpoints, RoleContext } from "./role";
import type { Topology } from "../config";

/** Where a role's guest is and how to reach it. */
export interface RoleGuest {
    address: string;
    /** The guest's instance id: a recreated guest runs the set-up again. */
    instance: pulumi.Output<string>;
    /** Its SSH host key, pinned. */
    hostKey: pulumi.Output<string>;
}

export interface MiddlewareArgs {
    /** The guest that carries each role. */
    guests: Record<RoleName, RoleGuest>;
    topology: Topology;
    subnet: string;
    secrets: RoleContext<object>["secrets"] & { sshPrivateKey: pulumi.Output<string> };
    emulated: pulumi.Output<boolean>;
    /** The compiled guest programs, uploaded before each role's set-up. */
    upload: { upload: string; uploadTo: string; uploadHash: string };
    /** Where the set-up commands were parented before roles were components (kept as an alias, so existing stacks do not rerun them). */
    previousParent?: pulumi.Resource;
}

interface RoleArgs {
    role: AnyRole;
    ctx: RoleContext<object>;
    guest: RoleGuest;
    middleware: MiddlewareArgs;
    after: RemoteCommand[];
}

/** One middleware role, provisioned in its guest over SSH; offers its endpoints once set up. */
class RoleComponent extends pulumi.ComponentResource {
    readonly endpoints: Partial<Endpoints>;
    readonly setup: RemoteCommand;

    constructor(name: string, args: RoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`virt-testbed:role:${args.role.type}`, name, {}, opts);
        const setup = args.role.setup(args.ctx);
        const m = args.middleware;
        this.setup = new RemoteCommand(
            `${name}-setup`,
            {
                address: args.guest.address,
                guestInstance: args.guest.instance,
                privateKey: m.secrets.sshPrivateKey,
                hostKey: args.guest.hostKey,
                ...m.upload,
                create: setup.script,
                ...(setup.timeoutSeconds ? { timeoutSeconds: setup.timeoutSeconds } : {}),
            },
            { parent: this, dependsOn: args.after, aliases: m.previousParent ? [{ parent: m.previousParent }] : [] },
        );
        this.endpoints = setup.endpoints ?? {};
        this.registerOutputs({});
    }
}

/**
 * The middleware topology of a stack: one component per role (roles/index.ts), each set up after
 * the roles it needs, all offering their endpoints.
 */
export class Middleware extends pulumi.ComponentResource {
    readonly endpoints: Endpoints;
    /** The last set-up steps: what runs on the middleware waits for these. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: MiddlewareArgs, opts?: pulumi.ComponentResourceOptions) {
        super("virt-testbed:index:Middleware", name, {}, opts);
        const done = new Map<string, RoleComponent>();
        let endpoints: Partial<Endpoints> = {};
        for (const name of ROLES) {
            const role = roleNamed(name);
            const missing = role.needs.filter((n) => !done.has(n));
            if (missing.length) throw new Error(`role ${name} needs ${missing.join(", ")}, which must come before it in roles/index.ts`);
            const guest = args.guests[name];
            const ctx: RoleContext<object> = {
                address: guest.address,
                config: args.topology[name],
                subnet: args.subnet,
                secrets: args.secrets,
                emulated: args.emulated,
                endpoints,
            };
            const component = new RoleComponent(
                name,
                { role, ctx, guest, middleware: args, after: role.needs.map((n) => (done.get(n) as RoleComponent).setup) },
                { parent: this },
            );
            endpoints = { ...endpoints, ...component.endpoints };
            done.set(name, component);
        }
        const needed = new Set(ROLES.flatMap((r) => roleNamed(r).needs));
        this.ready = [...done.entries()].filter(([n]) => !needed.has(n)).map(([, c]) => c.setup);
        const { amqpUrl, pgUrl, dashboardUrl } = endpoints;
        if (!amqpUrl || !pgUrl || !dashboardUrl)
            throw new Error("the middleware offers no broker, database or dashboard endpoint: a role is missing from roles/index.ts");
        this.endpoints = { amqpUrl, pgUrl, dashboardUrl };
        this.registerOutputs({});
    }
}
