import { odata, TableClient } from '@azure/data-tables';
import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestUser } from '../support/activities.js';
import type { BotProcess } from '../support/bot-process.js';
import { FakeConnector } from '../support/fake-connector.js';
import { startFaultBot } from '../support/fault-bot.js';
import { admin } from '../support/meeting-setup.js';
import { replyText, teamsClient, until, type Client } from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';
import { cardText } from '../support/fake-connector.js';

/**
 * Guarantee: participant codes are handed out without gaps even when the process dies between
 * taking a code and writing its participant. 20 enrolments run at once, the bot is killed with
 * SIGKILL after some are answered and started again: its start-up finishes every code that was
 * taken, requests left unanswered land once when sent again, and each year's codes run 1, 2, 3 …
 * with every participant's audit entry and marker; every answer given matches what is stored.
 */
const personal = { kind: 'personal' as const };
const coach: TestUser = {
  id: '29:coach-i-test',
  name: 'Coach i test',
  aadObjectId: 'c0000000-0000-4000-8000-000000000001',
};
const WORKERS = 20;
const KILL_AFTER_ANSWERS = 25;
const tablePrefix = uniquePrefix();
const running: BotProcess[] = [];
let connector: FakeConnector;

beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(async () => {
  await Promise.all(running.map((bot) => bot.kill('SIGTERM')));
  await connector?.stop();
});

const start = async () => {
  const bot = await startFaultBot(tablePrefix);
  running.push(bot);
  return bot;
};

const rows = async (table: string, filter: string) => {
  const client = TableClient.fromConnectionString(
    inject('tableConnectionString'),
    `${tablePrefix}${table}`,
    { allowInsecureConnection: true },
  );
  const found: Record<string, unknown>[] = [];
  for await (const row of client.listEntities<Record<string, unknown>>({
    queryOptions: { filter },
  })) {
    found.push(row);
  }
  return found;
};

const form = (requestId: string) => ({
  requestId,
  insatsId: 'sikta',
  lansdelId: 'norra',
  enrolledOn: '2026-01-15',
  gender: 'man',
  responsibleOrganisationId: 'fk',
  coachId: coach.id,
  caseCode: '',
  consent: 'false',
});

/** One enrolment; the text of the answer card, or undefined when the process died first. */
async function enrol(client: Client, requestId: string): Promise<string | undefined> {
  try {
    const { card } = await client.click('participants.enrol', form(requestId), admin, personal);
    return card ? cardText(card) : undefined;
  } catch {
    return undefined;
  }
}

describe('participant codes when the process dies', () => {
  it(
    'when the bot is killed with SIGKILL while 20 enrol at once and started again, then every code taken is written, codes have no gap, and every answer matches what is stored',
    { timeout: 120_000 },
    async () => {
      const victim = await start();
      const first = teamsClient(victim.url, connector);
      await first.say('/hjälp', admin, personal);
      await first.say('/hjälp', coach, personal);
      for (const [user, role] of [
        [admin, 'samordnare forbundskansliet'],
        [coach, 'coach eskilstuna'],
      ] as const) {
        const { replies } = await first.say(
          `/roller ge <at>${user.name}</at> ${role}`,
          admin,
          personal,
          [user],
        );
        expect(replies.map(replyText).join()).toMatch(/har nu rollen|hade redan rollen/);
      }

      const answers = new Map<string, string | undefined>();
      let answered = 0;
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const requestId = `req-kill-${newId()}`;
          answers.set(requestId, undefined);
          const text = await enrol(first, requestId);
          answers.set(requestId, text);
          if (text === undefined) return;
          if (++answered >= KILL_AFTER_ANSWERS && !stop) {
            stop = true;
            await victim.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      const reservations = () =>
        rows(
          'ParticipantKeys',
          odata`PartitionKey eq ${'counter'} and RowKey ge ${'slot|'} and RowKey lt ${'slot}'}`,
        );
      const pendingAtKill = (await reservations()).length;

      const second = teamsClient((await start()).url, connector);
      await until(async () => (await reservations()).length === 0, 20_000);
      const unanswered = [...answers].filter(([, text]) => text === undefined).map(([id]) => id);
      for (const requestId of unanswered) {
        expect(await enrol(second, requestId)).toMatch(/inskriven med koden D-\d{4}-\d{4}/);
      }

      const partition = await rows('Participants', odata`PartitionKey eq ${'norra'}`);
      const headers = partition.filter((r) => String(r.rowKey).startsWith('h|'));
      const numbers = headers.map((h) => Number(String(h.code).slice(7))).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      const byRequest = new Map(headers.map((h) => [String(h.enrolRequestId), String(h.code)]));
      expect(byRequest.size).toBe(headers.length);
      for (const h of headers) {
        const audits = partition.filter(
          (r) => r.subjectId === h.code && r.action === 'participants.enrol',
        );
        expect(audits).toHaveLength(1);
        expect(
          partition.some(
            (r) => String(r.rowKey).startsWith('req|') && String(r.result).includes(`"${h.code}"`),
          ),
        ).toBe(true);
      }
      let told = 0;
      for (const [requestId, text] of answers) {
        const code = /inskriven med koden (D-\d{4}-\d{4})/.exec(text ?? '')?.[1];
        if (code) {
          expect(byRequest.get(requestId)).toBe(code);
          told++;
        }
      }
      for (const requestId of unanswered) expect(byRequest.has(requestId)).toBe(true);
      console.log(
        `killed after ${answered} answered enrolments with ${unanswered.length} in flight ` +
          `(${pendingAtKill} codes taken, participant not yet written, finished at restart); ` +
          `${told} told their code, ${headers.length} stored as D-2026-0001…` +
          `${String(numbers.length).padStart(4, '0')} without a gap, each with audit entry and marker`,
      );
    },
  );
});
