import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bundleKey } from '../../functions/shared/aws/dsar-bundles.ts';
import type { DsarBundleStore } from '../../functions/shared/ports/dsar-bundles.ts';

/** Locally, the bundle bucket is a folder: `<dataDir>/<region>/dsar-bundles/<tenant>/<id>.json`. */
export function fileDsarBundles(dir: string): DsarBundleStore {
  return {
    async put(tenantId, dsarId, sealedText) {
      const file = join(dir, bundleKey(tenantId, dsarId));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, sealedText, { mode: 0o600 });
    },
    async get(tenantId, dsarId) {
      return readFile(join(dir, bundleKey(tenantId, dsarId)), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
    },
  };
}
