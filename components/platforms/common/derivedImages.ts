import * as path from "path";

/**
 * Where platforms keep what they derive from a base image (its VM form, its id-shifted copy for
 * unprivileged containers), by the image's hash; removed when the image cache prunes the image.
 * World-searchable, unlike the cache under root's home: an unprivileged container's root must reach it.
 */
export const DERIVED_IMAGES = "/var/lib/virt-testbed/images";

/** The hash of the base image whose rootfs this is (<cache>/images/<hash>/rootfs). */
export const imageHashOf = (rootfs: string) => path.basename(path.dirname(rootfs));

/** The directory of what is derived from an image. */
export const derivedDir = (imageHash: string, root = DERIVED_IMAGES) => path.join(root, imageHash);
