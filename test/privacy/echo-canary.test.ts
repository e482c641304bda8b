import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, users, type TestUser } from '../support/activities.js';
import { cardTargets, commandTargets, type Target } from '../support/corpus-targets.js';
import { FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * No reply quotes unchecked input: a unique marker typed where a code, date, time, number or
 * choice belongs must never come back in the text of an answer (a form given back may keep it in
 * its input, so the user can correct it; that is not quoting).
 */
const CONCURRENCY = 6;
const VALIDATED_TEXT_INPUT =
  /date|dates|datum|time|minutes|days|weeks|duration|code|kod|year|count|number|id$/i;

let connector: FakeConnector;
let bot: TestBot;
const coach: TestUser = {
  id: '29:canary-coach',
  name: 'Kim Coach',
  aadObjectId: 'a0000000-0000-4000-8000-0000000ca4a1',
};

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot({ BOOTSTRAP_ADMIN_IDS: users.anna.aadObjectId });
  for (const [user, grant] of [
    [users.anna, 'samordnare forbundskansliet'],
    [coach, 'coach eskilstuna'],
  ] as const) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
    await bot.post(
      message(`/roller ge <at>${user.name}</at> ${grant}`, {
        serviceUrl: connector.url,
        mention: [user],
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

/** Where a typed value must have been checked: not free text (reminder texts and step notes). */
function validatedSlot(target: Target): boolean {
  if (target.kind === 'card') {
    return target.inputType !== 'Input.Text' || VALIDATED_TEXT_INPUT.test(target.inputId);
  }
  const words = target.usage.split(' ');
  const at = words.indexOf('<x>');
  if (words[0] === '/påminnelser' && words[1] === 'ny') return at < (words[2] === 'om' ? 5 : 4);
  if (words[0] === '/deltagare' && words[1] === 'steg') return at < 5;
  return true;
}

/** The text a reader sees: text blocks, titles and facts, not what sits in an input field. */
function visibleText(node: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const element = value as Record<string, unknown>;
    const isInput = typeof element.type === 'string' && element.type.startsWith('Input.');
    for (const [key, item] of Object.entries(element)) {
      if (isInput && (key === 'value' || key === 'placeholder')) continue;
      if (key === 'data') continue;
      if (typeof item === 'string' && ['text', 'title', 'value', 'fallbackText'].includes(key)) {
        parts.push(item);
      } else walk(item);
    }
  };
  walk(node);
  return parts.join('\n');
}

async function fire(target: Target, marker: string, index: number): Promise<string> {
  if (target.kind === 'card') {
    const answer = await bot.post(
      cardAction(
        target.verb,
        { ...target.data, [target.inputId]: marker },
        {
          serviceUrl: connector.url,
          from: target.verb.startsWith('participants.') ? coach : users.anna,
          where: {
            kind: 'channel',
            conversationId: `19:canary-card-${index}@thread.tacv2`,
          },
        },
      ),
    );
    return visibleText(answer.body);
  }
  const conversationId = target.inChannel
    ? `19:canary-cmd-${index}@thread.tacv2`
    : `a:canary-cmd-${index}`;
  await bot.post(
    message(target.line(marker).replace('@1', `<at>${users.erik.name}</at>`), {
      serviceUrl: connector.url,
      from: users.anna,
      where: target.inChannel
        ? { kind: 'channel', conversationId }
        : { kind: 'personal', conversationId },
      mention: [users.erik],
    }),
  );
  return connector.received
    .filter((activity) => activity.conversationId === conversationId)
    .map((activity) => `${activity.body.text ?? ''}\n${visibleText(activity.body.attachments)}`)
    .join('\n');
}

describe('replies never quote unchecked input', () => {
  it('when a marker is typed where a code, date, time, number or choice belongs, then no answer shows it', async () => {
    const targets = [...cardTargets().targets, ...commandTargets()].filter(validatedSlot);
    const quoted: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < targets.length; index = next++) {
        const target = targets[index]!;
        const marker = `Qx${index}zV"<b>`;
        const shown = await fire(target, marker, index);
        if (shown.includes(`Qx${index}zV`)) {
          quoted.push(
            target.kind === 'card'
              ? `${target.card}.${target.inputId} (${target.verb})`
              : target.usage,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`Ekokontroll: ${targets.length} kontrollerade fält, ${quoted.length} citerade`);
    expect(quoted.sort()).toEqual([]);
  }, 300_000);
});
