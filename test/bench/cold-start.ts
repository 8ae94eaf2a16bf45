import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { apiRoutes } from '../../functions/api/routes.ts';
import { buildApp } from '../../infra/app.ts';

const run = promisify(execFile);
const stackName = 'Meridian-eu-central-1';

export type FunctionKind = 'read' | 'write' | 'background';

export interface ColdStart {
  fn: string;
  kind: FunctionKind;
  bytes: number;
  /** Median of the fresh processes' import times. */
  importMs: number;
  runs: number[];
}

/** What a cold start may take on this machine, by kind (background functions answer no caller, and get the write goal). */
export const coldStartGoalMs: Record<FunctionKind, number> = { read: 100, write: 150, background: 150 };

interface TemplateFunction {
  Type: string;
  Metadata?: Record<string, string>;
  Properties: { Environment?: { Variables?: Record<string, unknown> } };
}

/**
 * Synthesizes one region's stack as `cdk synth` does (bundling only that stack), then imports each
 * function's bundle in a fresh Node process, `runs` times, as Lambda's init phase does: the
 * environment is the function's own (references to other resources become placeholders), and the
 * variables Lambda sets are set, so Powertools and the SDK take the paths they take in Lambda.
 */
export async function coldStarts(runs = 5): Promise<ColdStart[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'meridian-cold-'));
  try {
    const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
    const { app } = buildApp(
      new App({
        outdir,
        context: {
          ...context,
          'aws:cdk:bundling-stacks': [stackName],
          'aws:cdk:enable-path-metadata': true,
          'aws:cdk:enable-asset-metadata': true,
        },
      }),
    );
    app.synth();
    const template = JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, TemplateFunction>).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['aws:asset:path'],
    );
    const results: ColdStart[] = [];
    for (const resource of functions) {
      const id = resource.Metadata!['aws:cdk:path']!.split('/')[1]!;
      const fn = id.startsWith('Api-') ? id.slice('Api-'.length) : id;
      const bundle = join(outdir, resource.Metadata!['aws:asset:path']!, 'index.js');
      const environment = lambdaEnvironment(fn, resource.Properties.Environment?.Variables ?? {});
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await importTime(bundle, environment));
      const sorted = [...times].sort((a, b) => a - b);
      results.push({ fn, kind: kindOf(id, fn), bytes: statSync(bundle).size, importMs: sorted[Math.floor(runs / 2)]!, runs: times });
    }
    return results;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** An API function is a write function if any of its routes changes something. */
function kindOf(id: string, fn: string): FunctionKind {
  if (!id.startsWith('Api-')) return 'background';
  const methods = apiRoutes.filter((route) => route.fn === fn).map((route) => route.method);
  return methods.some((method) => method !== 'GET') ? 'write' : 'read';
}

function lambdaEnvironment(fn: string, variables: Record<string, unknown>): NodeJS.ProcessEnv {
  const own = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `placeholder-${name.toLowerCase()}`]),
  );
  return {
    PATH: process.env.PATH,
    ...own,
    AWS_REGION: 'eu-central-1',
    AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_LAMBDA_FUNCTION_NAME: `meridian-${fn}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    LAMBDA_TASK_ROOT: '/var/task',
  };
}

/** Milliseconds to import the bundle in a new process: what its top level does, nothing after. */
async function importTime(bundle: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env });
  return Number(stdout.trim());
}
