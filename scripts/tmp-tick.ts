import { startAzuriteProcess } from '../bench/support/azurite-process.js';
import { startCountingProxy } from '../bench/support/counting-proxy.js';
import { FakeConnector } from '../test/support/fake-connector.js';
import { measureTick } from '../bench/scenarios/scheduler.js';
import { benchTenant, benchUsers } from '../bench/support/context.js';
const azurite = await startAzuriteProcess();
const proxy = await startCountingProxy(azurite.port);
const connector = await new FakeConnector().start();
const ctx = { azurite, proxy, connector, levels: [1], users: benchUsers(1), tenantId: benchTenant };
try {
  for (const stored of [0, Number(process.argv[2] ?? 0)]) {
    console.log(JSON.stringify(await measureTick(ctx, stored)));
  }
} finally {
  await connector.stop(); await proxy.stop(); await azurite.stop();
}
