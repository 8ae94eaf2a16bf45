import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { apiFunctionNames } from '../../functions/api/routes.ts';
import { bundling, lambdaCredentials } from '../../infra/function-bundling.ts';

export interface BundleSize {
  fn: string;
  bytes: number;
  gzipBytes: number;
  largest: Array<[string, number]>;
}

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(meridian)';

/** Each function bundled exactly as the stack bundles it (minified CommonJS, SDK included). */
export async function bundleSizes(): Promise<BundleSize[]> {
  const entries = [
    ...apiFunctionNames.map((fn) => [fn, `functions/api/${fn}/handler.ts`]),
    ['projector', 'functions/projector/handler.ts'],
    ['publisher', 'functions/publisher/handler.ts'],
    ['sequencer', 'functions/sequencer/handler.ts'],
    ['digest', 'functions/digest/handler.ts'],
  ];
  return Promise.all(
    entries.map(async ([fn, entry]) => {
      const result = await build({
        entryPoints: [entry!],
        bundle: true,
        write: false,
        platform: 'node',
        metafile: true,
        minify: bundling.minify,
        format: bundling.format,
        target: bundling.target,
        mainFields: bundling.mainFields,
        footer: { js: bundling.footer },
        define: bundling.define,
        alias: { '@aws-sdk/credential-provider-node': lambdaCredentials },
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]!.contents;
      const byPackage = new Map<string, number>();
      for (const output of Object.values(result.metafile.outputs)) {
        for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
          byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + bytesInOutput);
        }
      }
      const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 4);
      return { fn: fn!, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, largest };
    }),
  );
}
