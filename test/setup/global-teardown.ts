import { rmSync } from 'node:fs';

/** Removes the PGlite image that global-setup wrote (not one the caller supplied). */
export default function globalTeardown(): void {
  const dir = process.env.SUPAMIGRATE_PGLITE_IMAGE_OWNED;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
