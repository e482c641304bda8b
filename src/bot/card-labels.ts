import { readdirSync, readFileSync } from 'node:fs';

/** An input of a card template: its id (a pattern when the id is templated) and its label. */
export interface CardInput {
  readonly card: string;
  readonly id: string;
  readonly type: string;
  readonly label: string | undefined;
  /** Matches the id the input has once the template is bound (`notes-${id}` → `notes-…`). */
  readonly matches: RegExp;
}

const cardsFolder = new URL('../../cards/', import.meta.url);

/** Every `Input.*` of every template in `cards/`, read once. */
export const cardInputs: readonly CardInput[] = (() => {
  const inputs: CardInput[] = [];
  for (const file of readdirSync(cardsFolder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const card = file.replace(/\.json$/, '');
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const element = node as Record<string, unknown>;
      if (typeof element.type === 'string' && element.type.startsWith('Input.')) {
        const id = String(element.id ?? '');
        const label = [element.label, element.title, element.placeholder].find(
          (text): text is string => typeof text === 'string' && !text.includes('${'),
        );
        inputs.push({ card, id, type: element.type, label, matches: idPattern(id) });
      }
      Object.values(element).forEach(walk);
    };
    walk(JSON.parse(readFileSync(new URL(file, cardsFolder), 'utf8')));
  }
  return inputs;
})();

function idPattern(id: string): RegExp {
  const parts = id.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

/**
 * The label a user saw for a submitted field, as written on the card; `undefined` for a field no
 * card has. Cards named in `prefer` are looked at first (the clicked verb's capability).
 */
export function labelOf(fieldId: string, prefer: (card: string) => boolean = () => false) {
  const candidates = cardInputs.filter((input) => input.matches.test(fieldId));
  const chosen =
    candidates.find((input) => prefer(input.card) && input.label) ??
    candidates.find((input) => input.label);
  return chosen?.label;
}
