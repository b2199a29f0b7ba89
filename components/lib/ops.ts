/** One resource kind's operations, run by `main.ts` in the dynamic provider's child process. */
export interface Ops<I, O> {
    create(inputs: I): Promise<{ id: string; outs: O }>;
    /** Current state of the resource, or undefined when it is gone (drift). */
    read?(id: string, props: O & I): Promise<O & I | undefined>;
    update?(id: string, olds: O & I, news: I): Promise<{ outs: O }>;
    delete(id: string, props: O & I): Promise<void>;
}
