import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberSchema } from '../../src/access/access.schema.js';
import { AggregateTable } from '../../src/storage/aggregate-table.js';
import { memberTable } from '../../src/storage/access-tables.js';
import { users, type TestUser } from '../support/activities.js';
import { AgendaLedger } from '../support/agenda-ledger.js';
import type { BotProcess } from '../support/bot-process.js';
import { startFaultBot } from '../support/fault-bot.js';
import { FakeConnector } from '../support/fake-connector.js';
import {
  admin,
  createSeries,
  futureDates,
  grantRoles,
  type MeetingRef,
} from '../support/meeting-setup.js';
import { parseAllStored, storeFor } from '../support/table-snapshot.js';
import { health, replyText, teamsClient, until, type Client } from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

const channel = '19:sigkill@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const WORKERS = 8;
const KILL_AFTER_ACKS = 30;
const PEOPLE = 40;

let connector: FakeConnector;
const running: BotProcess[] = [];
let refs: MeetingRef[];
const tablePrefix = uniquePrefix();

const start = async () => {
  const bot = await startFaultBot(tablePrefix);
  running.push(bot);
  return bot;
};

beforeAll(async () => {
  connector = await new FakeConnector().start();
});

afterAll(async () => {
  await Promise.all(running.map((bot) => bot.kill('SIGTERM')));
  await connector?.stop();
});

const person = (n: number): TestUser => ({
  id: `29:deltagare-i-test-${n}`,
  name: `Handläggare ${n}`,
  aadObjectId: `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
});

/** Grants a role through /roller; true when the reply says it was granted (or already held). */
async function grant(client: Client, target: TestUser): Promise<boolean> {
  const { replies } = await client.say(
    `/roller ge <at>${target.name}</at> representant region`,
    admin,
    { kind: 'personal' },
    [target],
  );
  return replies.some((reply) => /har nu rollen|hade redan rollen/.test(replyText(reply)));
}

describe('a process killed mid-write', () => {
  /**
   * Guarantee: SIGKILL during a burst of agenda adds and role grants leaves storage consistent:
   * after a restart every stored row parses with its schema, no item is there twice, every
   * acknowledged add and grant is present, and a grant is never stored without its audit entry.
   */
  it(
    'when the bot is killed with SIGKILL during a burst of adds and role grants and started again, then the data is consistent and nothing acknowledged is missing',
    { timeout: 120_000 },
    async () => {
      const victim = await start();
      const first = teamsClient(victim.url, connector);
      await grantRoles(first, [users.erik]);
      refs = await createSeries(first, where, futureDates(4));

      const ledger = new AgendaLedger();
      const granted = new Set<number>();
      const lostInFlight: string[] = [];
      let next = 0;
      let killed = false;
      const burst = Promise.all(
        Array.from({ length: WORKERS }, async (_, worker) => {
          while (!killed && next < 400) {
            const n = next++;
            try {
              if (worker % 4 === 0 && n < PEOPLE * 4) {
                const target = person(n % PEOPLE);
                if (await grant(first, target)) granted.add(n % PEOPLE);
              } else {
                await ledger.add(first, refs[n % refs.length]!, n % 2 ? admin : users.erik, where);
              }
            } catch (error) {
              lostInFlight.push((error as Error).name);
            }
          }
        }),
      );
      await until(() => ledger.acknowledged.size >= KILL_AFTER_ACKS, 60_000);
      killed = true;
      await victim.kill('SIGKILL');
      running.splice(running.indexOf(victim), 1);
      await burst;
      const acknowledgedAtKill = ledger.acknowledged.size;

      const restarted = await start();
      const second = teamsClient(restarted.url, connector);
      const store = storeFor(tablePrefix);
      const parsedAfterKill = await parseAllStored(store);
      const afterKill = await ledger.verify(store);

      // Users click again on whatever did not answer; the restarted bot finishes the job.
      const unanswered = [...ledger.attempts.keys()].filter((id) => !ledger.acknowledged.has(id));
      for (const requestId of unanswered) {
        await ledger.add(second, ledger.attempts.get(requestId)!.ref, users.erik, where, requestId);
      }
      const afterRetry = await ledger.verify(store);

      const members = await memberTable(store).list();
      // Role changes keep their audit entries in the members' own partition.
      const audit = await new AggregateTable(store.client('members'), {
        member: { prefix: 'm', schema: memberSchema, version: 1, json: ['roles'] },
      }).audit('members');
      const grantedMembers = members.filter((m) => m.roles.includes('representant'));
      const withoutAudit = grantedMembers
        .filter(
          (member) => !audit.some((e) => e.subjectId === member.id && e.action === 'roles.grant'),
        )
        .map((member) => member.id);
      const missingGrants = [...granted].filter(
        (n) => !grantedMembers.some((m) => m.id === person(n).id),
      );
      process.stdout.write(
        `sigkill: killed after ${acknowledgedAtKill} acknowledged adds and ${granted.size} grants, ` +
          `${lostInFlight.length} requests cut off in flight; after restart ${afterKill.stored} items stored, ` +
          `${afterKill.missing.length} missing, ${afterKill.duplicated.length} duplicated, ` +
          `${afterKill.unacknowledged.length} stored without acknowledgement; ${unanswered.length} clicked again → ` +
          `${afterRetry.stored} stored, ${afterRetry.missing.length} missing, ${afterRetry.duplicated.length} duplicated; ` +
          `${grantedMembers.length} members with the role, ${missingGrants.length} acknowledged grants missing, ` +
          `${withoutAudit.length} without audit entry; rows parsed ${JSON.stringify(parsedAfterKill.checked)}\n`,
      );

      expect(lostInFlight.length).toBeGreaterThan(0);
      expect(afterKill.missing).toEqual([]);
      expect(afterKill.duplicated).toEqual([]);
      expect(afterRetry.missing).toEqual([]);
      expect(afterRetry.duplicated).toEqual([]);
      expect(ledger.acknowledged.size).toBe(ledger.attempts.size);
      expect(missingGrants).toEqual([]);
      expect(withoutAudit).toEqual([]);
      expect(await health(restarted.url)).toBe(200);
    },
  );
});
