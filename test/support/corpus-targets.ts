import { readdirSync, readFileSync } from 'node:fs';
import { renderCard, type CardName } from '../../src/bot/card-renderer.js';
import { cardInputs } from '../../src/bot/card-labels.js';
import { commandTable } from '../../src/bot/command-table.js';

/** One place a user can type: a card input submitted with a verb, or a command argument. */
export type Target =
  | {
      readonly kind: 'card';
      readonly card: string;
      readonly inputId: string;
      readonly inputType: string;
      readonly verb: string;
      /** The action's own data on the rendered card (ids of the meeting, item, …). */
      readonly data: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'command';
      readonly command: string;
      readonly usage: string;
      /** The command line with the shot in one argument slot, valid values elsewhere. */
      readonly line: (shot: string) => string;
      readonly inChannel: boolean;
    };

/** The verb prefix of a dialog's submit: the rest is the message action's command id. */
export const MESSAGE_ACTION = 'message-action:';

/** Input types a user types or picks a value in. */
const TYPED_INPUTS = new Set([
  'Input.Text',
  'Input.ChoiceSet',
  'Input.Number',
  'Input.Date',
  'Input.Time',
]);

interface RenderedAction {
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

/**
 * Every typed input of every card template, each with the Action.Execute verbs that submit it
 * (those of the nearest enclosing element that has any), found by rendering the card's
 * fixtures. Inputs that no fixture renders are returned in `unrendered`.
 */
export function cardTargets(): { targets: Target[]; unrendered: string[] } {
  const targets: Target[] = [];
  const covered = new Set<string>();
  const files = readdirSync('cards').filter((file) => file.endsWith('.json'));
  for (const file of files) {
    const card = file.replace(/\.json$/, '');
    const variants = JSON.parse(readFileSync(`cards/fixtures/${file}`, 'utf8')) as Record<
      string,
      object
    >;
    const seen = new Set<string>();
    for (const data of Object.values(variants)) {
      const rendered = renderCard(card as CardName, data);
      walk(card, rendered, [], (input, actions) => {
        const key = `${input.id}|${actions.map((a) => a.verb).join(',')}`;
        if (seen.has(key)) return;
        seen.add(key);
        const template = cardInputs.find((c) => c.card === card && c.matches.test(input.id));
        if (template) covered.add(`${card}:${template.id}`);
        for (const action of actions.slice(0, 3)) {
          targets.push({
            kind: 'card',
            card,
            inputId: input.id,
            inputType: input.type,
            verb: action.verb,
            data: action.data,
          });
        }
      });
    }
  }
  const unrendered = cardInputs
    .filter((input) => TYPED_INPUTS.has(input.type))
    .map((input) => `${input.card}:${input.id}`)
    .filter((id) => !covered.has(id));
  return { targets, unrendered: [...new Set(unrendered)] };
}

function walk(
  card: string,
  node: unknown,
  scopes: RenderedAction[][],
  onInput: (input: { id: string; type: string }, actions: RenderedAction[]) => void,
): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(card, child, scopes, onInput);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const element = node as Record<string, unknown>;
  const own = executeActions(element, card);
  const inner = own.length > 0 ? [...scopes, own] : scopes;
  if (typeof element.type === 'string' && TYPED_INPUTS.has(element.type) && element.id) {
    const actions = [...inner].reverse().find((scope) => scope.length > 0) ?? [];
    if (actions.length > 0) onInput({ id: String(element.id), type: element.type }, actions);
  }
  for (const value of Object.values(element)) walk(card, value, inner, onInput);
}

/**
 * Dialogs (task modules) a message action opens: their Action.Submit sends the form back as the
 * message action's `composeExtension/submitAction`, named here `message-action:<command id>`.
 */
const DIALOG_COMMANDS: Readonly<Record<string, string>> = {
  'dialog-agenda-item': 'addToAgenda',
};

/** The Action.Execute elements directly among an element's actions (not inside show cards). */
function executeActions(element: Record<string, unknown>, card: string): RenderedAction[] {
  const lists = [element.actions, element.selectAction ? [element.selectAction] : undefined];
  const found: RenderedAction[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const action of list as Record<string, unknown>[]) {
      const data = (action.data as Record<string, unknown>) ?? {};
      if (action.type === 'Action.Execute' && typeof action.verb === 'string') {
        found.push({ verb: action.verb, data });
      }
      const command = DIALOG_COMMANDS[card];
      if (action.type === 'Action.Submit' && command) {
        found.push({ verb: `${MESSAGE_ACTION}${command}`, data });
      }
    }
  }
  return found;
}

/** A valid value for an argument slot, by the placeholder's name. */
function validFor(placeholder: string): string {
  const name = placeholder.toLowerCase();
  if (name === 'organisation') return 'fk';
  if (name === 'roll') return 'samordnare';
  if (name === 'insats') return 'sikta';
  if (name === 'kod') return 'Ä-2026-0001';
  if (name === 'anteckning' || name === 'text') return 'test';
  if (/datum|period|åååå-mm-dd/.test(name)) return '2026-12-08';
  if (/tt:mm|tid/.test(name)) return '10:00';
  if (/person/.test(name)) return '@1';
  return 'test';
}

const isSlot = (word: string) =>
  /^[<[]/.test(word) || /^\d{4}-\d{2}-\d{2}$|^\d{2}:\d{2}$|^[ÄD]-\d{4}-\d{4}$/u.test(word);

/** The syntaxes a usage line holds: `a – text; b` → `a`, `b`; `x|y <kod>` → `x <kod>`, `y <kod>`. */
function syntaxes(usage: string): string[] {
  return usage
    .split(';')
    .map((part) => part.split(' – ')[0]!.trim())
    .filter((part) => part.startsWith('/'))
    .flatMap((syntax) => {
      const words = syntax.split(' ');
      const alternatives = words.findIndex((word) => word.includes('|') && !isSlot(word));
      if (alternatives < 0) return [syntax];
      return words[alternatives]!.split('|').map((choice) =>
        words.map((word, index) => (index === alternatives ? choice : word)).join(' '),
      );
    });
}

/**
 * Every argument slot of every usage line in the command table: the shot in that slot with valid
 * values in the others; the shot as one more word after each syntax; and as the only argument.
 */
export function commandTargets(): Target[] {
  const targets: Target[] = [];
  for (const spec of commandTable) {
    const inChannel = (spec.scopes as readonly string[]).includes('team');
    const templates = new Set<string>([`/${spec.name} \u0000`]);
    for (const syntax of spec.usage.flatMap(syntaxes)) {
      const words = syntax.split(' ');
      const filled = (slot: number) =>
        words
          .map((word, index) =>
            index === slot
              ? '\u0000'
              : /^[<[]/.test(word)
                ? validFor(word.replace(/[<>[\]]/g, ''))
                : word.startsWith('@')
                  ? '@1'
                  : word,
          )
          .join(' ');
      words.forEach((word, index) => {
        if (isSlot(word)) templates.add(filled(index));
      });
      templates.add(`${filled(-1)} \u0000`);
    }
    for (const template of templates) {
      targets.push({
        kind: 'command',
        command: spec.name,
        usage: template.replace('\u0000', '<x>'),
        line: (shot) => template.replace('\u0000', shot),
        inChannel,
      });
    }
  }
  return targets;
}
