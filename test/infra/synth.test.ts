import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

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
