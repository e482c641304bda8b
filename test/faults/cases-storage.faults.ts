import { newId } from '../../src/ids.js';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorText } from '../../src/bot/error-text.js';
import { AppError } from '../../src/errors.js';
import { caseTables } from '../../src/storage/case-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { cardAction, message } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { checkYear } from '../support/case-invariants.js';
import { anna, erik, startCaseBot, type CaseBot } from '../support/case-bot.js';
import { cardOf, cardText } from '../support/fake-connector.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Storage taken away at each step of every case verb that writes (submit, plan, move, present,
 * decide, close, carry-over): before the transaction reaches storage, after it landed with the
 * answer lost, with storage gone after that, and before anything is read. Whatever happens, no
 * case is left without its audit entry, marker or queue line, codes have no gaps, what the user
 * is told matches what is stored, and repeating the same request stores it exactly once.
 */
const channel = '19:avbrott-arenden@thread.tacv2';
const NOT_SAVED = errorText(new AppError('storage-unavailable'));
const UNKNOWN = errorText(new AppError('outcome-unknown'));
const MODES = ['before', 'after', 'afterDown', 'down'] as const;
type Mode = (typeof MODES)[number];
const tally: Record<string, number> = {};

const clock = { now: new Date('2026-11-23T08:00:00Z') };
const tablePrefix = uniquePrefix();
let proxy: StorageProxy;
let world: CaseBot;
let scratch: TableClient;

beforeAll(async () => {
  proxy = await startStorageProxy(inject('tableConnectionString'));
  world = await startCaseBot({
    channel,
    dates: ['2026-12-08', '2027-01-12', '2027-02-09'],
    now: () => clock.now,
    storage: proxy.connectionString,
    tablePrefix,
  });
  scratch = TableClient.fromConnectionString(proxy.connectionString, `${tablePrefix}Scratch`, {
    allowInsecureConnection: true,
  });
  await scratch.createTable();
});

afterAll(async () => {
  console.log('case verbs under storage faults (outcome per reply):', tally);
  await world?.stop();
  await proxy?.stop();
});

/** The store read straight from Azurite, past the proxy. */
const direct = () =>
  caseTables(
    createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      tablePrefix,
    ),
    () => clock.now,
  );
const year = () =>
  checkYear(
    createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      tablePrefix,
    ),
    2026,
  );

/** Runs `act` with storage failing as `mode` says, then brings storage back. */
async function withFault<T>(mode: Mode, act: () => Promise<T>): Promise<T> {
  let fired = mode === 'down';
  if (mode === 'down') proxy.cut();
  else {
    const cut = proxy.cutOnce(/\$batch/, mode === 'before' ? 'before' : 'after');
    void cut.then(() => {
      fired = true;
      if (mode === 'afterDown') proxy.cut();
    });
  }
  try {
    return await act();
  } finally {
    proxy.restore();
    // A fault that did not fire would hit the next test: spend it on a scratch transaction.
    if (!fired)
      await scratch
        .submitTransaction([['upsert', { partitionKey: 'p', rowKey: newId() }]])
        .catch(() => undefined);
  }
}

const textOf = (reply: { body: { text?: string } } & object) =>
  reply.body.text ?? cardText(cardOf(reply as never));

/** Posts one activity (again, when repeated: Teams re-delivers with the same id). */
async function post(activity: ReturnType<typeof message> | ReturnType<typeof cardAction>) {
  world.connector.clear();
  const response = await world.bot.post(activity);
  if (activity.type === 'invoke') return cardText((response.body as { value: unknown }).value);
  return world.connector.messages(channel).map(textOf).join('\n');
}

const typed = (text: string) =>
  message(text, { serviceUrl: world.connector.url, from: anna, where: world.where });
const clicked = (verb: string, data: Record<string, unknown>) =>
  cardAction(verb, data, { serviceUrl: world.connector.url, from: anna, where: world.where });

/**
 * One verb under one fault: the answer must say saved, not saved or unknown, and match what
 * is stored; repeating the same request afterwards stores it once.
 */
async function scenario(
  verb: string,
  mode: Mode,
  activity: ReturnType<typeof message> | ReturnType<typeof cardAction>,
  saved: string,
  stored: () => Promise<boolean>,
) {
  const before = await year();
  const answer = await withFault(mode, () => post(activity));
  const outcome = answer.includes(saved)
    ? 'saved'
    : answer.includes(NOT_SAVED)
      ? 'not saved'
      : answer.includes(UNKNOWN)
        ? 'unknown'
        : `unexpected: ${answer.slice(0, 200)}`;
  tally[`${verb}/${mode}/${outcome}`] = (tally[`${verb}/${mode}/${outcome}`] ?? 0) + 1;
  expect(['saved', 'not saved', 'unknown']).toContain(outcome);
  if (outcome === 'saved') expect(await stored()).toBe(true);
  if (outcome === 'not saved') expect(await stored()).toBe(false);
  const after = await year();
  expect(after.problems).toEqual([]);
  expect(after.markers).toBe(after.revisions);
  const repeat = await post(activity);
  expect(repeat).not.toContain(NOT_SAVED);
  expect(await stored()).toBe(true);
  const again = await year();
  expect(again.problems).toEqual([]);
  expect(again.markers).toBe(again.revisions);
  expect(again.revisions - before.revisions).toBe(1);
  return outcome;
}

async function newCase() {
  return (await world.submit(erik, { reason: `Avbrott ${newId().slice(0, 8)}` })).code;
}
const snapshot = async (code: string) => (await direct().get(code))?.value;

describe('carry-over with storage failing', () => {
  for (const mode of MODES) {
    it(`when storage fails (${mode}) while a passed meeting's case is carried over, then the answer matches what is stored and a later read carries it once`, async () => {
      clock.now = new Date('2026-11-23T08:00:00Z');
      const code = await newCase();
      await world.say(`/ärenden planera ${code} 2026-12-08`);
      clock.now = new Date('2026-12-08T10:00:00Z');
      await scenario(
        'carryOver',
        mode,
        typed('/ärenden'),
        'är flyttat till mötet 2027-01-12',
        async () => (await snapshot(code))?.plan?.date === '2027-01-12',
      );
      clock.now = new Date('2026-11-23T08:00:00Z');
    });
  }
});

describe('every case verb with storage failing', () => {
  for (const mode of MODES) {
    it(`when storage fails (${mode}) during a submission, then the answer matches what is stored and the same form stores one case`, async () => {
      const [form] = await world.say('/ärenden ny', erik);
      const requestId = String(actionData(cardOf(form), 'cases.submit').requestId);
      const reason = `Inskickat ${requestId}`;
      const submit = cardAction(
        'cases.submit',
        {
          requestId,
          reason,
          request: 'insats',
          insats: 'Sikta',
          urgency: 'normal',
          preferredMeetingId: 'nasta',
          consent: 'true',
        },
        { serviceUrl: world.connector.url, from: erik, where: world.where },
      );
      const before = (await year()).codes.length;
      await scenario(
        'submit',
        mode,
        submit,
        'anmält med koden',
        async () => (await year()).codes.length === before + 1,
      );
    });

    it(`when storage fails (${mode}) while a case is planned, moved, presented and closed, then every answer matches what is stored`, async () => {
      const code = await newCase();
      const revision = async () => (await snapshot(code))?.revision ?? 0;
      const start = await revision();
      await scenario(
        'plan',
        mode,
        typed(`/ärenden planera ${code}`),
        'är planerat till',
        async () => (await revision()) === start + 1,
      );
      await scenario(
        'move',
        mode,
        typed(`/ärenden flytta ${code} 2027-01-12`),
        'är flyttat till',
        async () => (await revision()) === start + 2,
      );
      await scenario(
        'present',
        mode,
        typed(`/ärenden dragen ${code}`),
        'markerat som draget',
        async () => (await revision()) === start + 3,
      );
      const card = cardOf((await world.say(`/ärenden beslut ${code}`))[0]);
      const decide = clicked('cases.decide', {
        ...actionData(card, 'cases.decide'),
        outcome: 'avslag',
        motivation: 'Avslag.',
      });
      await scenario(
        'decide',
        mode,
        decide,
        'Beslutet är sparat',
        async () => (await revision()) === start + 4,
      );
      await scenario(
        'close',
        mode,
        typed(`/ärenden avsluta ${code}`),
        'är avslutad',
        async () => (await revision()) === start + 5,
      );
    });
  }

  it(
    'when storage stops answering altogether during a submission, then the user is told nothing was saved and nothing is',
    { timeout: 60_000 },
    async () => {
      const before = await year();
      const [form] = await world.say('/ärenden ny', erik);
      const data = {
        ...actionData(cardOf(form), 'cases.submit'),
        reason: 'Tyst lagring',
        request: 'arbetstraning',
        consent: 'true',
      };
      proxy.stall();
      const answer = await post(
        cardAction('cases.submit', data, {
          serviceUrl: world.connector.url,
          from: erik,
          where: world.where,
        }),
      ).finally(() => proxy.restore());
      expect(answer).toContain(NOT_SAVED);
      expect((await year()).codes).toEqual(before.codes);
    },
  );
});

describe('codes under load and faults', () => {
  it(
    'when twenty submissions arrive at once while storage drops answers, then every form ends with one case and the codes have no gaps',
    { timeout: 90_000 },
    async () => {
      const before = (await year()).codes.length;
      // Each open form carries its own request id; twenty people press Anmäl at once.
      const forms = Array.from({ length: 20 }, (_, i) =>
        cardAction(
          'cases.submit',
          {
            requestId: newId(),
            reason: `Samtidigt ${i}`,
            request: 'arbetstraning',
            urgency: 'normal',
            preferredMeetingId: 'nasta',
            consent: 'true',
          },
          { serviceUrl: world.connector.url, from: erik, where: world.where },
        ),
      );
      const faults = (async () => {
        await proxy.cutOnce(/\$batch/, 'after');
        await proxy.cutOnce(/\$batch/, 'before');
        await proxy.cutOnce(/\$batch/, 'after');
        proxy.cut();
        await new Promise((resolve) => setTimeout(resolve, 300));
        proxy.restore();
      })();
      const answers = await Promise.all(forms.map((form) => world.bot.post(form)));
      await faults;
      const told = answers.map(
        (answer) =>
          /koden (Ä-2026-\d{4})/.exec(cardText((answer.body as { value: unknown }).value))?.[1],
      );
      for (const [i, form] of forms.entries()) {
        if (told[i]) continue;
        const retried = await world.bot.post(form);
        told[i] = /koden (Ä-2026-\d{4})/.exec(
          cardText((retried.body as { value: unknown }).value),
        )?.[1];
      }
      const check = await year();
      expect(check.problems).toEqual([]);
      expect(check.codes).toHaveLength(before + 20);
      expect(check.codes).toEqual(
        check.codes.map((_, i) => `Ä-2026-${String(i + 1).padStart(4, '0')}`),
      );
      expect(new Set(told).size).toBe(20);
      for (const code of told) expect(check.codes).toContain(code);
    },
  );
});
