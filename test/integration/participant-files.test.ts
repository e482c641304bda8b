import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mammoth from 'mammoth';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Files the Teams way, for a client that takes Teams' file consent: the consent card, the upload
 * to the person's OneDrive (played here on loopback) and the file card; a declined or repeated
 * consent. And a participant with more than a thousand history rows: every step still records,
 * and the card pages its timeline within the size budget.
 */
const anna = users.anna;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const BUDGET = 40 * 1024;

interface Upload {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}
interface World {
  app: RunningApp;
  connector: FakeConnector;
  onedrive: Server;
  oneDriveUrl: string;
  uploads: Upload[];
}
const world = {} as World;
const clock = { now: new Date('2026-07-02T08:00:00Z') };

const post = async (activity: object) => {
  const response = await fetch(`${world.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};
const say = async (text: string, from: TestUser, mention: TestUser[] = []) => {
  world.connector.clear();
  expect(
    (await post(message(text, { serviceUrl: world.connector.url, from, mention }))).status,
  ).toBe(200);
  return world.connector.messages();
};
const click = async (verb: string, data: Record<string, unknown>, from: TestUser = anna) => {
  world.connector.clear();
  const response = await post(cardAction(verb, data, { serviceUrl: world.connector.url, from }));
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};
const consent = (action: 'accept' | 'decline', fileId: string, from: TestUser = anna) => ({
  ...cardAction('x.y', {}, { serviceUrl: world.connector.url, from }),
  name: 'fileConsent/invoke',
  value: {
    type: 'fileUpload',
    action,
    context: { fileId },
    uploadInfo: {
      name: 'Lägesrapport Norra 2026-06-30.docx',
      uploadUrl: `${world.oneDriveUrl}/upload/${fileId}`,
      contentUrl: `${world.oneDriveUrl}/files/rapport.docx`,
      uniqueId: 'unique-1',
      fileType: 'docx',
    },
  },
});

beforeAll(async () => {
  world.uploads = [];
  world.onedrive = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      world.uploads.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = 201;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => world.onedrive.listen(0, '127.0.0.1', resolve));
  world.oneDriveUrl = `http://127.0.0.1:${(world.onedrive.address() as AddressInfo).port}`;
  world.connector = await new FakeConnector().start();
  const config = loadConfig({
    PORT: '0',
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: uniquePrefix(),
    SCHEDULER_ENABLED: 'false',
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
    LOG_LEVEL: 'silent',
  });
  world.app = await startApp(config, {
    logger: createLogger('silent'),
    now: () => clock.now,
    takesFileConsent: () => true,
  });
  for (const user of [anna, leila]) await say('/hjälp', user);
  await say(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, anna, [anna]);
  await say(`/roller ge <at>${leila.name}</at> coach eskilstuna`, anna, [leila]);
}, 60_000);

afterAll(async () => {
  await world.app?.stop();
  await world.connector?.stop();
  await new Promise<void>((resolve) => world.onedrive?.close(() => resolve()));
});

describe('files offered with Teams file consent', () => {
  it('when a samordnare takes the report as a Word file and accepts, then it is uploaded once with its range and a file card follows', async () => {
    const card = await click('reports.file', {
      scope: 'lansdel:norra',
      asOf: '2026-06-30',
      format: 'docx',
    });
    expect(cardText(card)).toContain('Välj Tillåt där');
    const offer = world.connector
      .messages()
      .flatMap((m) => m.body.attachments ?? [])
      .find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent')!;
    expect(offer).toBeDefined();
    const content = offer.content as { acceptContext: { fileId: string }; sizeInBytes: number };
    const fileId = content.acceptContext.fileId;

    world.connector.clear();
    const accepted = await post(consent('accept', fileId));
    expect(accepted.status).toBe(200);
    expect(world.uploads).toHaveLength(1);
    const upload = world.uploads[0]!;
    expect(upload.body.length).toBe(content.sizeInBytes);
    expect(upload.headers['content-range']).toBe(
      `bytes 0-${content.sizeInBytes - 1}/${content.sizeInBytes}`,
    );
    const text = (await mammoth.extractRawText({ buffer: upload.body })).value;
    expect(text).toContain('Hur många deltagare har skrivits in i insatsen sedan start?');
    const info = world.connector
      .messages()
      .flatMap((m) => m.body.attachments ?? [])
      .find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info).toMatchObject({ name: 'Lägesrapport Norra 2026-06-30.docx' });

    world.connector.clear();
    expect((await post(consent('accept', fileId))).status).toBe(200);
    expect(world.uploads).toHaveLength(1);
    expect(
      world.connector
        .messages()
        .map((m) => m.body.text)
        .join(),
    ).toContain('Filen finns inte längre');
  });

  it('when someone else accepts the consent card, or it is declined, then nothing is uploaded', async () => {
    await click('reports.file', { scope: 'alla', asOf: '2026-06-30', format: 'xlsx' });
    const fileId = JSON.stringify(world.connector.messages()).match(
      /"fileId":"([A-Za-z0-9_-]+)"/,
    )![1]!;
    await post(consent('accept', fileId, leila));
    expect(world.uploads).toHaveLength(1);
    world.connector.clear();
    await post(consent('decline', fileId));
    expect(
      world.connector
        .messages()
        .map((m) => m.body.text)
        .join(),
    ).toContain('Filen sparades inte');
    await post(consent('accept', fileId));
    expect(world.uploads).toHaveLength(1);
  });
});

describe('file buttons clicked more than once', () => {
  const consentCards = () =>
    world.connector
      .messages()
      .flatMap((m) => m.body.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent');

  it('when the Word button is clicked again with the same request id, then no second consent card is sent; the Excel button on the same card still sends its own', async () => {
    const ref = {
      scope: 'lansdel:norra',
      asOf: '2026-06-30',
      requestId: '0f8e5f5e-5a43-4c55-9a39-3c1f0a7d2b11',
    };
    const first = await click('reports.file', { ...ref, format: 'docx' });
    expect(consentCards()).toHaveLength(1);
    const repeated = await click('reports.file', { ...ref, format: 'docx' });
    expect(consentCards()).toHaveLength(0);
    expect(cardText(repeated)).toContain(
      'Lägesrapporten som Word-fil finns i din personliga chatt',
    );
    expect(cardText(first)).toContain('Lägesrapporten som Word-fil finns i din personliga chatt');
    const excel = await click('reports.file', { ...ref, format: 'xlsx' });
    expect(consentCards()).toHaveLength(1);
    expect(cardText(excel)).toContain(
      'Rapportens siffror som Excel-fil finns i din personliga chatt',
    );
  });
});

describe('a participant with a long history', () => {
  it('when more than a thousand steps and follow-ups with full notes are recorded, then each records and the card stays within budget, newest first, paged', async () => {
    const enrolled = await click('participants.enrol', {
      requestId: 'req-long-0001',
      insatsId: 'sikta',
      lansdelId: 'norra',
      enrolledOn: '2024-01-02',
      gender: 'annat',
      responsibleOrganisationId: 'fk',
      coachId: leila.id,
      caseCode: '',
      consent: 'false',
    });
    const code = /koden (D-\d{4}-\d{4})/.exec(cardText(enrolled))![1]!;
    const note = `Anteckning med "citat", åäö och 🚀\n${'x'.repeat(300)}`.slice(0, 300);
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 1_010; i++) {
      const on = new Date(Date.UTC(2024, 0, 3 + Math.floor(i / 2))).toISOString().slice(0, 10);
      const requestId = `req-long-${String(i).padStart(5, '0')}`;
      last =
        i % 2 === 0
          ? await click(
              'participants.followUp',
              { code, requestId, followUpOn: on, followUpNote: note },
              leila,
            )
          : await click(
              'participants.step',
              {
                code,
                requestId,
                stepStep: 'arbetstraning',
                stepOn: on,
                stepWhich: '',
                stepNote: note,
              },
              leila,
            );
      expect(cardText(last)).toMatch(/är registrerad?/);
      expect(Buffer.byteLength(JSON.stringify(last))).toBeLessThan(BUDGET);
    }
    expect(cardText(last)).toContain('De senaste: 20 av 1011, nyaste först.');
    const older = JSON.stringify(last).match(
      /"title":"Visa fler","verb":"participants.open","data":(\{[^}]+\})/,
    )![1]!;
    const page2 = await click(
      'participants.open',
      JSON.parse(older) as Record<string, unknown>,
      leila,
    );
    expect(cardText(page2)).toContain('Äldre händelser: 20 av 1011');
    expect(Buffer.byteLength(JSON.stringify(page2))).toBeLessThan(BUDGET);
    const dates = (card: unknown) => cardText(card).match(/^\d{4}-\d{2}-\d{2}$/gm) ?? [];
    expect(dates(page2)[0]! <= dates(last).at(-1)!).toBe(true);
  }, 300_000);
});
