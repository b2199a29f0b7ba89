// Validation helpers for the stack's `virt-testbed:*` settings, shared by the generic config and
// each platform's own section. An error names the setting, the problem and the fix.

export type Raw = Record<string, unknown>;

export class ConfigError extends Error {
    constructor(setting: string, problem: string, fix: string) {
        super(`virt-testbed:${setting}: ${problem}. ${fix}`);
        this.name = "ConfigError";
    }
}

export function isObject(v: unknown): v is Raw {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function objectAt(raw: Raw, key: string, setting: string): Raw {
    const v = raw[key];
    if (v === undefined) return {};
    if (!isObject(v)) throw new ConfigError(setting, `must be a map, got ${JSON.stringify(v)}`, "Write it as a YAML map.");
    return v;
}

export function rejectUnknown(raw: Raw, allowed: readonly string[], section: string): void {
    for (const key of Object.keys(raw)) {
        if (!allowed.includes(key)) {
            throw new ConfigError(section ? `${section}.${key}` : key, "is not a known setting", `Known settings: ${allowed.join(", ")}.`);
        }
    }
}

export function intIn(raw: Raw, key: string, setting: string, def: number, min: number, max: number): number {
    const v = raw[key] === undefined ? def : raw[key];
    const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        throw new ConfigError(
            setting,
            `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
            `Set it with: pulumi config set ${setting.includes(".") ? "--path " : ""}virt-testbed:${setting} <${min}..${max}>.`,
        );
    }
    return n;
}

export function oneOf<T extends string>(raw: Raw, key: string, setting: string, allowed: readonly T[]): T {
    const v = raw[key] === undefined ? allowed[0] : raw[key];
    if (typeof v !== "string" || !allowed.includes(v as T)) {
        throw new ConfigError(
            setting,
            `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`,
            `Set it with: pulumi config set --path virt-testbed:${setting} ${allowed[0]}.`,
        );
    }
    return v as T;
}

export function bool(raw: Raw, key: string, setting: string, def: boolean): boolean {
    const v = raw[key] === undefined ? def : raw[key];
    if (typeof v !== "boolean") {
        throw new ConfigError(
            setting,
            `must be true or false, got ${JSON.stringify(v)}`,
            `Set it with: pulumi config set ${setting.includes(".") ? "--path " : ""}virt-testbed:${setting} true.`,
        );
    }
    return v;
}

/** A non-empty list of known names, each once: a YAML list or a comma-separated string. */
export function nameList<T extends string>(v: unknown, setting: string, known: readonly T[], def: readonly T[]): T[] {
    if (v === undefined) return [...def];
    const list = typeof v === "string" ? v.split(",").map((s) => s.trim()) : v;
    const fix = `Set a list of them, e.g. pulumi config set --path 'virt-testbed:${setting}[0]' ${known[0]} (known: ${known.join(", ")}).`;
    if (!Array.isArray(list) || list.length === 0) throw new ConfigError(setting, `must be a non-empty list, got ${JSON.stringify(v)}`, fix);
    for (const s of list) if (typeof s !== "string" || !known.includes(s as T)) throw new ConfigError(setting, `has an unknown name ${JSON.stringify(s)}`, fix);
    if (new Set(list).size !== list.length) throw new ConfigError(setting, `names one twice: ${list.join(", ")}`, "Name each once.");
    return list as T[];
}
