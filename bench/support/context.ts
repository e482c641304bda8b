import { randomBytes } from 'node:crypto';
import type { RunningAzurite } from '../../scripts/local/azurite.js';
import type { FakeConnector } from '../../test/support/fake-connector.js';
import { TENANT_ID, type TestUser } from '../../test/support/activities.js';
import type { CountingProxy } from './counting-proxy.js';

/** What every scenario gets: storage (direct and counted), the connector, the virtual users. */
export interface BenchContext {
  readonly azurite: RunningAzurite;
  /** Storage through the counting proxy: what the bot under test uses. */
  readonly proxy: CountingProxy;
  readonly connector: FakeConnector;
  /** Concurrency levels every load scenario runs at. */
  readonly levels: readonly number[];
  /** One virtual user per concurrent slot; every one of them is an administratör. */
  readonly users: readonly TestUser[];
  readonly tenantId: string;
}

export function benchUsers(count: number): TestUser[] {
  return Array.from({ length: count }, (_, n) => {
    const hex = String(n + 1).padStart(12, '0');
    return {
      id: `29:bench-${n + 1}`,
      name: `Samordnare ${n + 1}`,
      aadObjectId: `b0000000-0000-4000-8000-${hex}`,
    };
  });
}

export const benchTenant = TENANT_ID;
export const freshPrefix = () => `b${randomBytes(4).toString('hex')}`;
