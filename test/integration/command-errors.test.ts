import { describe, expect, it } from 'vitest';
import { MeridianError } from '../../domain/meridian-error.ts';
import { UnknownEventError } from '../../events/event-form.ts';
import { StaleVersion, WriteContention } from '../../functions/shared/application/commands.ts';
import { Problem } from '../../functions/shared/platform/http/problem.ts';
import { problemFromError } from '../../functions/shared/platform/http/problem-from-error.ts';
import { ConcurrencyError } from '../../functions/shared/ports/event-store.ts';
import { testDeps } from '../support/deps.ts';

describe("Meridian's errors", () => {
  it('carry their class name, so a log line or a problem can tell them apart', () => {
    for (const error of [
      new WriteContention('ticket'),
      new StaleVersion(3),
      new Problem('notFound', 'No such ticket'),
      new UnknownEventError({ streamId: 'ticket#1', version: 1, type: 'Unknown', schemaVersion: 9 }),
    ]) {
      expect(error).toBeInstanceOf(MeridianError);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new ConcurrencyError('ticket#1', 'version_taken').name).toBe('ConcurrencyError');
  });

  it('name the kind of stream under contention, not always the ticket', async () => {
    const deps = await testDeps();
    for (const kind of ['ticket', 'data-subject request', 'support setup', 'retention policy'] as const) {
      const problem = problemFromError(new WriteContention(kind), deps);
      expect(problem.status).toBe(409);
      expect(problem.detail).toBe(`The ${kind} is being changed by many writers at once; retry`);
    }
    expect(new StaleVersion(4, 'support setup').message).toBe('the support setup is at version 4');
  });
});
