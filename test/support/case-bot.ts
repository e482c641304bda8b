import { newId } from '../../src/ids.js';
import { expect } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from './activities.js';
import { actionData, allActionData } from './card-actions.js';
import { cardOf, cardText, FakeConnector } from './fake-connector.js';
import { startTestBot, type TestBot } from './test-bot.js';

export const bo: TestUser = {
  id: '29:bo',
  name: 'Bo Samordnare',
  aadObjectId: 'a0000000-0000-4000-8000-000000000005',
};
export const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
export const { anna, erik, maria } = users;

export type Card = Record<string, unknown>;

/**
 * The real bot on the run's Azurite (or `storage`), with an injected clock, roles given through
 * /roller (Anna and Bo samordnare, Erik FK, Maria Region, Leila coach) and a
 * psykiatri-avstämning series in `channel` on `dates`.
 */
export async function startCaseBot(options: {
  channel: string;
  dates: readonly string[];
  now: () => Date;
  storage?: string;
  tablePrefix?: string;
}) {
  const connector = await new FakeConnector().start();
  const bot: TestBot = await startTestBot(
    {
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
      ...(options.storage ? { STORAGE_CONNECTION_STRING: options.storage } : {}),
      ...(options.tablePrefix ? { TABLE_PREFIX: options.tablePrefix } : {}),
    },
    { now: options.now },
  );
  const where = { kind: 'channel' as const, conversationId: options.channel };
  const personalOf = (user: TestUser) => `a:personal-${user.id}`;

  async function say(text: string, from: TestUser = anna, inChannel = true) {
    connector.clear();
    const response = await bot.post(
      message(text, { serviceUrl: connector.url, from, ...(inChannel ? { where } : {}) }),
    );
    expect(response.status).toBe(200);
    return connector.messages(inChannel ? options.channel : personalOf(from));
  }
  const replyText = async (text: string, from: TestUser = anna, inChannel = true) =>
    (await say(text, from, inChannel)).map((m) => m.body.text ?? cardText(cardOf(m))).join('\n');

  async function click(
    verb: string,
    data: Record<string, unknown>,
    from: TestUser = anna,
    inChannel = true,
  ): Promise<Card> {
    const response = await bot.post(
      cardAction(verb, data, {
        serviceUrl: connector.url,
        from,
        ...(inChannel ? { where } : {}),
      }),
    );
    expect(response.status).toBe(200);
    const body = response.body as { type: string; value: Card };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return body.value;
  }

  /** Submits a case through the form; answers the card and the code it shows. */
  async function submit(from: TestUser, fields: Record<string, string> = {}) {
    const [form] = await say('/ärenden ny', from);
    const card = await click(
      'cases.submit',
      {
        ...actionData(cardOf(form), 'cases.submit'),
        reason: 'Behöver samordnat stöd',
        request: 'insats',
        insats: 'Sikta mot arbetslivet',
        urgency: 'normal',
        preferredMeetingId: 'nasta',
        consent: 'true',
        ...fields,
      },
      from,
    );
    return { card, code: /Ä-\d{4}-\d{4}/.exec(cardText(card))?.[0] ?? '' };
  }

  for (const user of [anna, erik, maria, bo, leila]) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
  }
  for (const [user, rest] of [
    [erik, 'representant fk'],
    [maria, 'representant region'],
    [anna, 'samordnare forbundskansliet'],
    [bo, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
  ] as const) {
    await bot.post(
      message(`/roller ge <at>${user.name}</at> ${rest}`, {
        serviceUrl: connector.url,
        mention: [user],
      }),
    );
  }
  const [form] = await say('/möte ny');
  const created = await click('meeting.create', {
    requestId: actionData(cardOf(form), 'meeting.create').requestId ?? newId(),
    type: 'psykiatri',
    name: 'Psykiatri-avstämning',
    recurrence: 'dates',
    dates: options.dates.join(', '),
    startDate: options.now().toISOString().slice(0, 10),
    time: '09:00',
    place: 'Teams',
    organisations: 'fk,region,kommun-eskilstuna',
  });
  expect(cardText(created)).toContain('är skapad');

  return {
    bot,
    connector,
    where,
    personalOf,
    say,
    replyText,
    click,
    submit,
    /** The data of the button `verb` on the row (or card) of `code`. */
    buttonFor(card: unknown, verb: string, code: string) {
      const found = allActionData(card, verb).find((data) => data.code === code);
      if (!found) throw new Error(`No ${verb} for ${code} on the card`);
      return found;
    },
    async stop() {
      await bot.stop();
      await connector.stop();
    },
  };
}
export type CaseBot = Awaited<ReturnType<typeof startCaseBot>>;
