import express from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';

/**
 * The benchmark's baseline: a bare botbuilder bot on the same HTTP stack as the real one
 * (Express 5 + express.json + CloudAdapter, local mode). Messages are echoed to the connector;
 * card actions answer with a one-line card.
 */
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const app = express();
app.use(express.json({ limit: '512kb' }));

async function echo(turn: TurnContext) {
  if (turn.activity.type === 'invoke') {
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
