/** A QEMU process beside its guest's RAM: the 128 MiB translation cache, device model, buffers. */
export const QEMU_OVERHEAD_MIB = 256;
