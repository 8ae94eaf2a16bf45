import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled, shared by the stack and the cold-start benchmark. The SDK is
 * bundled, not taken from the runtime, so Lambda runs the versions the tests ran.
 *
 * CommonJS, not ESM: an ES module that imports a Node built-in gets a facade that reads every
 * export of it, and node:http's exports include lazy getters that load undici (about 40 ms of
 * get-ticket's import, for a module nothing calls). Tree-shaking is the same either way.
 */
/** The SDK's default credential chain, replaced by the environment alone (see the module's comment). */
export const lambdaCredentials = new URL('../functions/shared/aws/lambda-credentials.ts', import.meta.url).pathname;

export const bundling = {
  minify: true,
  sourceMap: true,
  format: OutputFormat.CJS,
  target: 'node24',
  mainFields: ['module', 'main'],
  externalModules: [],
  // esbuild's CommonJS exports are getters that cannot be redefined, and the OpenTelemetry layer
  // wraps the handler by redefining it: plain properties, copied once the module has run.
  footer: 'module.exports = { ...module.exports };',
  // Where a CommonJS bundle sits in Lambda, for the one module that asks (the OpenAPI function's
  // local path to Swagger UI, which Lambda never takes).
  define: { 'import.meta.url': JSON.stringify('file:///var/task/index.js') },
  esbuildArgs: { '--alias:@aws-sdk/credential-provider-node': lambdaCredentials },
} satisfies BundlingOptions;
