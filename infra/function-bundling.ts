import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled, shared by the stack and the bundle-size benchmark. The SDK is
 * bundled, not taken from the runtime, so Lambda runs the versions the tests ran.
 */
export const bundling = {
  minify: true,
  sourceMap: true,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  externalModules: [],
  // ESM bundles still meet CommonJS code that calls require().
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} satisfies BundlingOptions;
