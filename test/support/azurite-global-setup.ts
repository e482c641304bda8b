import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../scripts/local/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tableConnectionString: string;
  }
}

/** Starts one in-memory Azurite for the whole run; each test file uses its own table prefix. */
export default async function setup(project: TestProject) {
  const azurite = await startAzurite();
  project.provide('tableConnectionString', azurite.connectionString);
  return async () => {
    await azurite.stop();
  };
}
