import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi/document.ts';
import { swaggerUiAssets } from '../../functions/api/openapi/openapi.ts';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'meridian-cdk-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const templates = () =>
  readdirSync(out)
    .filter((file) => file.endsWith('.template.json'))
    .sort();

/**
 * AWS's cfn-lint is a PyPI package (neither npm's `cfn-lint`, an unrelated validator, nor Debian carry
 * it); this project's machine image ships it, and CI runs there. Elsewhere the check says it is skipped.
 */
const cfnLint = (() => {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
})();

it('cdk synth works offline through cdk.json, a template per region', { timeout: 180_000 }, async () => {
  await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '-o', out], {
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(templates()).toEqual([
    'Meridian-ap-southeast-1.template.json',
    'Meridian-eu-central-1.template.json',
    'Meridian-us-east-1.template.json',
  ]);
});

it("bundles each function as CommonJS with plain exports, and the OpenAPI function with its region's document made at synth", () => {
  for (const file of templates()) {
    const template = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const bundle = readFileSync(join(out, fn.Metadata['aws:asset:path'], 'index.js'), 'utf8');
      expect(bundle.trimEnd().split('\n').at(-2)).toBe('module.exports = { ...module.exports };');
    }
    const openapi = functions.find((fn) => fn.Metadata['aws:cdk:path'].includes('/Api-openapi/'))!;
    const beside = (name: string) => join(out, openapi.Metadata['aws:asset:path'], name);
    const region = file.slice('Meridian-'.length, -'.template.json'.length);
    const regionEndpoints = JSON.parse(openapi.Properties.Environment.Variables.REGION_ENDPOINTS);
    expect(JSON.parse(readFileSync(beside('openapi.json'), 'utf8'))).toEqual(openApiDocument({ region, regionEndpoints }));
    for (const asset of Object.keys(swaggerUiAssets)) expect(existsSync(beside(asset))).toBe(true);
  }
});

interface CfnLintMatch {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Filename: string;
}

it.skipIf(cfnLint === null)(
  `cfn-lint finds no error in any region's template (${cfnLint ?? 'cfn-lint not installed'})`,
  { timeout: 300_000 },
  async () => {
    expect(templates()).toHaveLength(3);
    // Exit codes are a bit field (2 errors, 4 warnings, 8 informational): the JSON says which.
    const lint = await run('cfn-lint', ['--format', 'json', ...templates().map((file) => join(out, file))], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((failed: { stdout: string; code: number }) => failed);
    const matches = JSON.parse(lint.stdout || '[]') as CfnLintMatch[];
    const errors = matches
      .filter((match) => match.Level === 'Error')
      .map((match) => `${match.Rule.Id} ${match.Filename}: ${match.Message}`);
    expect(errors).toEqual([]);
    // W3005 (a DependsOn that a GetAtt already implies) is how CDK orders a function after its role's policy.
    expect([...new Set(matches.map((match) => match.Rule.Id))].filter((id) => id !== 'W3005')).toEqual([]);
  },
);
