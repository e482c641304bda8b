import { TableClient } from '@azure/data-tables';
import express from 'express';
import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import { agendaItemOperations } from './scenarios/agenda-storage.js';

/**
 * The benchmark's baseline: a bare botbuilder bot on the same HTTP stack as the real one
 * (Express 5 + express.json + CloudAdapter, local mode). Messages are echoed to the connector;
 * card actions answer with a one-line card. Given `ECHO_STORAGE` and `ECHO_TABLE`, a card action
 * first does an agenda item's table operations ({@link agendaItemOperations}) on the table the
 * agenda's storage-alone run filled: the least any bot on botbuilder and the Table SDK does for
 * that action.
 */
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const storage =
  process.env.ECHO_STORAGE && process.env.ECHO_TABLE
    ? TableClient.fromConnectionString(process.env.ECHO_STORAGE, process.env.ECHO_TABLE, {
        allowInsecureConnection: true,
      })
    : undefined;

async function agendaItemStorage(table: TableClient, turn: TurnContext) {
  const value = turn.activity.value as { action?: { data?: { user?: number } } } | undefined;
  const found = await agendaItemOperations(
    table,
    value?.action?.data?.user ?? 0,
    `zecho|${randomUUID()}`,
  );
  if (!found) throw new Error('The agenda table is not filled');
}
const app = express();
app.use(express.json({ limit: '512kb' }));

async function echo(turn: TurnContext) {
  if (turn.activity.type === 'invoke') {
    if (storage) await agendaItemStorage(storage, turn);
    await turn.sendActivity({
      type: 'invokeResponse',
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: {
            type: 'AdaptiveCard',
            version: '1.5',
            body: [{ type: 'TextBlock', text: 'ok' }],
          },
        },
      },
    });
    return;
  }
  if (turn.activity.type === 'message') await turn.sendActivity(MessageFactory.text('ok'));
}

app.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, echo);
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'app.started', port })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
