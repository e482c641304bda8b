import { newId } from '../../src/ids.js';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  cardAction,
  message,
  messageActionSubmit,
  messagePayload,
  users,
  type TestUser,
} from '../support/activities.js';
import {
  cardTargets,
  commandTargets,
  MESSAGE_ACTION,
  type Target,
} from '../support/corpus-targets.js';
import { FakeConnector } from '../support/fake-connector.js';
import {
  identityNumbers,
  lookAlikes,
  seeded,
  writtenForms,
  type IdentityNumber,
} from '../support/identity-corpus.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * The privacy boundary under fire: every written form of valid personnummer and
 * samordningsnummer, and ordinary numbers that look like them, shot at every command argument
 * and every typed card input, enumerated from the command table and `cards/*.json`. Then every
 * table and the bot's log are read. Nothing may be echoed, stored or logged, and no look-alike
 * may be refused.
 */
const REFUSAL = /personnummer eller samordningsnummer/;
const CONCURRENCY = 6;

interface Shot {
  readonly target: Target;
  readonly text: string;
  readonly form: string;
  /** The ten digits of a valid number; absent for a look-alike. */
  readonly core?: string;
}

const SCRIPTS = ['٠١٢٣٤٥٦٧٨٩', '۰۱۲۳۴۵۶۷۸۹', '०१२३४५६७८९', '０１２３４５６７８９'];

/** Text as the test looks for numbers in it, independently of the bot's detection form. */
function digitsView(text: string): string {
  let view = text.normalize('NFKC');
  for (const script of SCRIPTS) {
    view = view.replace(new RegExp(`[${script}]`, 'gu'), (digit) => String(script.indexOf(digit)));
  }
  return view.replace(/[\s\-+\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff\u00ad]/gu, '');
}

function leaks(text: string, cores: readonly string[]): string[] {
  const view = digitsView(text);
  return cores.filter((core) => view.includes(core));
}

let connector: FakeConnector;
let bot: TestBot;
const coach: TestUser = {
  id: '29:corpus-coach',
  name: 'Kim Coach',
  aadObjectId: 'a0000000-0000-4000-8000-00000000c0ac',
};

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot({ BOOTSTRAP_ADMIN_IDS: users.anna.aadObjectId });
  for (const user of [users.anna, users.erik, coach]) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
  }
  for (const [user, grant] of [
    [users.anna, 'samordnare forbundskansliet'],
    [users.erik, 'representant fk'],
    [coach, 'coach eskilstuna'],
  ] as const) {
    await bot.post(
      message(`/roller ge <at>${user.name}</at> ${grant}`, {
        serviceUrl: connector.url,
        mention: [user],
      }),
    );
  }
  connector.clear();
}, 60_000);

afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

function shotsFor(targets: readonly Target[], numbers: readonly IdentityNumber[]): Shot[] {
  const random = seeded(7);
  const alikes = lookAlikes(random);
  return targets.flatMap((target, index) => {
    const number = numbers[index % numbers.length]!;
    const core = number.digits12.slice(2);
    return [
      ...writtenForms(number).map(({ form, text }) => ({ target, text, form, core })),
      ...alikes.map(({ form, text }) => ({ target, text, form })),
    ];
  });
}

async function fire(shot: Shot, index: number): Promise<{ refused: boolean; replies: string }> {
  const { target } = shot;
  if (target.kind === 'card' && target.verb.startsWith(MESSAGE_ACTION)) {
    const answer = await bot.post(
      messageActionSubmit(
        target.verb.slice(MESSAGE_ACTION.length),
        messagePayload('<p>Remissvägar</p>', users.anna),
        { ...target.data, [target.inputId]: shot.text, requestId: newId() },
        {
          serviceUrl: connector.url,
          from: users.anna,
          where: { kind: 'channel', conversationId: `19:corpus-dialog-${index}@thread.tacv2` },
        },
      ),
    );
    const replies = JSON.stringify(answer.body);
    return { refused: REFUSAL.test(replies), replies };
  }
  if (target.kind === 'card') {
    const activity = cardAction(
      target.verb,
      { ...target.data, [target.inputId]: shot.text, requestId: newId() },
      {
        serviceUrl: connector.url,
        from: target.verb.startsWith('participants.') ? coach : users.anna,
        where: { kind: 'channel', conversationId: `19:corpus-card-${index}@thread.tacv2` },
      },
    );
    const answer = await bot.post(activity);
    const replies = JSON.stringify(answer.body);
    return { refused: REFUSAL.test(replies), replies };
  }
  const conversationId = target.inChannel
    ? `19:corpus-cmd-${index}@thread.tacv2`
    : `a:corpus-cmd-${index}`;
  const where = target.inChannel
    ? { kind: 'channel' as const, conversationId }
    : { kind: 'personal' as const, conversationId };
  await bot.post(
    message(target.line(shot.text).replace('@1', `<at>${users.erik.name}</at>`), {
      serviceUrl: connector.url,
      from: users.anna,
      where,
      mention: [users.erik],
    }),
  );
  const replies = JSON.stringify(
    connector.received.filter((activity) => activity.conversationId === conversationId),
  );
  return { refused: REFUSAL.test(replies), replies };
}

async function everyStoredString(prefix: string): Promise<string[]> {
  const connection = inject('tableConnectionString');
  const service = TableServiceClient.fromConnectionString(connection, {
    allowInsecureConnection: true,
  });
  const strings: string[] = [];
  for await (const table of service.listTables()) {
    if (!table.name?.startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connection, table.name, {
      allowInsecureConnection: true,
    });
    for await (const entity of client.listEntities()) {
      for (const value of Object.values(entity)) {
        if (typeof value === 'string') strings.push(value);
      }
    }
  }
  return strings;
}

describe('personal identity numbers against every input', () => {
  it('when every written form is fired at every command argument and card input, then none is echoed, stored or logged, and no look-alike is refused', async () => {
    const cards = cardTargets();
    expect(cards.unrendered, 'inputs no fixture renders').toEqual([]);
    const targets = [...cards.targets, ...commandTargets()];
    const numbers = identityNumbers(targets.length, seeded(11));
    const shots = shotsFor(targets, numbers);

    const results: { shot: Shot; refused: boolean; echoed: string[] }[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < shots.length; index = next++) {
        const shot = shots[index]!;
        const { refused, replies } = await fire(shot, index);
        results.push({ shot, refused, echoed: shot.core ? leaks(replies, [shot.core]) : [] });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await bot.idle();

    const cores = [...new Set(shots.flatMap((shot) => (shot.core ? [shot.core] : [])))];
    const stored = (await everyStoredString(bot.tablePrefix)).flatMap((text) => leaks(text, cores));
    const logged = bot.logLines.flatMap((line) => leaks(line, cores));
    const valid = results.filter((result) => result.shot.core);
    const missed = valid.filter((result) => !result.refused);
    const falsePositives = results.filter((result) => !result.shot.core && result.refused);
    const echoed = results.filter((result) => result.echoed.length > 0);
    const inputs = new Set(
      targets.map((target) =>
        target.kind === 'card' ? `${target.card}:${target.inputId}` : target.usage,
      ),
    );

    console.log(
      `Identitetskorpus: inputs covered ${inputs.size} (${cards.targets.length} card input × verb, ` +
        `${targets.length - cards.targets.length} command slots), shots ${results.length}, ` +
        `refused ${results.filter((r) => r.refused).length} of ${valid.length} valid, ` +
        `echoed ${echoed.length}, stored ${stored.length}, logged ${logged.length}, ` +
        `false positives ${falsePositives.length}`,
    );
    expect(
      missed.map((r) => `${describeTarget(r.shot.target)} ← ${r.shot.form}`).slice(0, 20),
    ).toEqual([]);
    expect(echoed.map((r) => `${describeTarget(r.shot.target)} ← ${r.shot.form}`)).toEqual([]);
    expect(stored).toEqual([]);
    expect(logged).toEqual([]);
    expect(falsePositives.map((r) => `${describeTarget(r.shot.target)} ← ${r.shot.form}`)).toEqual(
      [],
    );
  }, 600_000);
});

function describeTarget(target: Target): string {
  return target.kind === 'card'
    ? `${target.card}.${target.inputId} (${target.verb})`
    : target.usage;
}
