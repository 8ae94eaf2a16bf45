import type { TestProject } from 'vitest/node';
import { startEngine } from '../../infra/local/engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run; each test file works in tables of its own. */
export default async function setup(project: TestProject) {
  const engine = await startEngine();
  project.provide('dynamodbEndpoint', engine.endpoint);
  return () => engine.stop();
}
