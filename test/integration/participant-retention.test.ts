import { odata, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * Gallring of what is kept beside participants: the audit entries written with each change go
 * after the audit period (here 400 days), as the audit table's do, and the request markers after
 * 30 days; the participants and their history stay. Each run is audited with its counts.
 */
const anna = users.anna;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const DAY = 86_400_000;
// Request markers carry storage's own time, so the clock starts at the real one.
const START = new Date(Math.floor(Date.now() / 1000) * 1000);
const admin: Principal = {
  userId: anna.id,
  tenantId: TENANT_ID,
  roles: ['admin'],
  configuredAdmin: true,
};

interface World {
  bot: TestBot;
  connector: FakeConnector;
  clock: { now: Date };
  codes: string[];
}
const world = {} as World;

const rows = async (prefix: string) => {
  const client = TableClient.fromConnectionString(
    inject('tableConnectionString'),
    `${world.bot.tablePrefix}Participants`,
    { allowInsecureConnection: true },
  );
  const found: Record<string, unknown>[] = [];
  for await (const row of client.listEntities<Record<string, unknown>>({
    queryOptions: {
      filter: odata`PartitionKey eq ${'norra'} and RowKey ge ${`${prefix}|`} and RowKey lt ${`${prefix}}`}`,
    },
  })) {
    found.push(row);
  }
  return found;
};

const click = async (verb: string, data: Record<string, unknown>, from: TestUser) => {
  const response = await world.bot.post(
    cardAction(verb, data, { serviceUrl: world.connector.url, from }),
  );
  expect(response.status).toBe(200);
  return cardText((response.body as { value: unknown }).value);
};

const say = async (text: string, from: TestUser) => {
  world.connector.clear();
  await world.bot.post(message(text, { serviceUrl: world.connector.url, from }));
  return world.connector.messages();
};

const runAt = async (days: number) => {
  world.clock.now = new Date(START.getTime() + days * DAY);
  const lines = await world.bot.retention.run(admin);
  const counts = (kind: string) => lines.find((l) => l.kind === kind)?.counts.removed;
  const audited = (await world.bot.retention.runs(admin)).at(-1)?.details;
  return {
    audit: counts('participantAudit'),
    markers: counts('participantMarkers'),
    audited,
  };
};

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.clock = { now: START };
  world.codes = [];
  world.bot = await startTestBot(
    {
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
      RETENTION_AUDIT_DAYS: '400',
    },
    { now: () => world.clock.now },
  );
  for (const user of [anna, leila]) await say('/hjälp', user);
  await world.bot.post(
    message(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, {
      serviceUrl: world.connector.url,
      from: anna,
      mention: [anna],
    }),
  );
  await world.bot.post(
    message(`/roller ge <at>${leila.name}</at> coach eskilstuna`, {
      serviceUrl: world.connector.url,
      from: anna,
      mention: [leila],
    }),
  );
  const today = START.toISOString().slice(0, 10);
  for (let i = 0; i < 3; i++) {
    const text = await click(
      'participants.enrol',
      {
        requestId: `req-retention-${i}0000`,
        insatsId: 'sikta',
        lansdelId: 'norra',
        enrolledOn: today,
        gender: 'man',
        responsibleOrganisationId: 'fk',
        coachId: leila.id,
        caseCode: '',
        consent: 'false',
      },
      anna,
    );
    world.codes.push(/koden (D-\d{4}-\d{4})/.exec(text)![1]!);
  }
  for (const [i, step] of (['kartlaggning', 'studiebesok'] as const).entries()) {
    const text = await click(
      'participants.step',
      {
        code: world.codes[0],
        requestId: `req-retention-step-${i}`,
        stepStep: step,
        stepOn: today,
        stepWhich: '',
        stepNote: '',
      },
      leila,
    );
    expect(text).toContain('är registrerat');
  }
  await world.bot.idle();
}, 60_000);

afterAll(async () => {
  await world.bot?.stop();
  await world.connector?.stop();
});

describe('gallring beside the participants', () => {
  it('when the runs come 29, 31 and 401 days on, then markers go after 30 days and audit entries after the audit period, each run audited with its counts, and the participants stay whole', async () => {
    expect(await rows('audit')).toHaveLength(5);
    expect(await rows('req')).toHaveLength(5);

    world.clock.now = new Date(START.getTime() + 31 * DAY);
    const preview = (await say('/gallring', anna)).map((m) => cardText(cardOf(m))).join('\n');
    expect(preview).toContain('Granskningslogg för deltagare');
    expect(preview).toContain('Spärrar mot dubbelregistrering av deltagaruppgifter');

    expect(await runAt(29)).toMatchObject({
      audit: 0,
      markers: 0,
      audited: { participantAuditRemoved: 0, participantMarkersRemoved: 0 },
    });
    expect(await runAt(31)).toMatchObject({
      audit: 0,
      markers: 5,
      audited: { participantAuditRemoved: 0, participantMarkersRemoved: 5 },
    });
    expect(await rows('req')).toEqual([]);
    expect(await rows('audit')).toHaveLength(5);

    expect(await runAt(401)).toMatchObject({
      audit: 5,
      markers: 0,
      audited: { participantAuditRemoved: 5, participantMarkersRemoved: 0 },
    });
    expect(await rows('audit')).toEqual([]);
    expect(await rows('h')).toHaveLength(3);
    expect(await rows('e')).toHaveLength(5);

    const [card] = await say(`/deltagare visa ${world.codes[0]}`, leila);
    expect(cardText(cardOf(card))).toContain('Studiebesök');
    const after = await click(
      'participants.followUp',
      {
        code: world.codes[0],
        requestId: 'req-retention-followup-1',
        followUpOn: world.clock.now.toISOString().slice(0, 10),
        followUpNote: '',
      },
      leila,
    );
    expect(after).toContain('Uppföljningen');
    expect(await rows('audit')).toHaveLength(1);
    expect(await rows('req')).toHaveLength(1);
  });
});
