import { hasRole, roleLabels, type Principal } from '../access/access.schema.js';
import { commandTable, type CommandScope, type CommandSpec } from '../bot/command-table.js';
import type { ConversationKind } from '../conversations/conversations.schema.js';
import { joinSwedish } from '../text.js';

export interface HelpView {
  title: string;
  notice: string;
  intro: string;
  who: string;
  commands: { command: string; summary: string; usage: readonly string[] }[];
  /** Commands and variants left out of this view; the card offers "Visa alla" when any are. */
  hiddenCount: number;
  privacy: string;
}

const scopeOf: Record<ConversationKind, CommandScope> = {
  personal: 'personal',
  channel: 'team',
  groupChat: 'groupChat',
};

/** Whether the person can use the command at all (the command itself checks the details). */
export function mayUse(spec: CommandSpec, principal: Principal | undefined): boolean {
  return spec.audience === 'alla' || (!!principal && hasRole(principal, ...spec.audience));
}

const placeName: Record<ConversationKind, string> = {
  personal: 'i chatten med boten',
  channel: 'i en kanal',
  groupChat: 'i en gruppchatt',
};

/**
 * The `/hjälp` card, built from the command table so help never drifts from routing. By default
 * it shows the commands this person can use in this kind of conversation; `all` shows every one.
 */
export function helpView(
  options: {
    notice?: string;
    principal?: Principal;
    place?: ConversationKind;
    all?: boolean;
    /** One command alone, with every variant (`/möte hjälp`). */
    only?: string;
  } = {},
): HelpView {
  const { principal, place } = options;
  const all = options.all || options.only !== undefined;
  const fits = (spec: CommandSpec) =>
    options.only !== undefined
      ? spec.name === options.only
      : options.all ||
        ((!place || (spec.scopes as readonly CommandScope[]).includes(scopeOf[place])) &&
          mayUse(spec, principal));
  const shown = (commandTable as readonly CommandSpec[]).filter(fits);
  const roles = principal?.roles.map((role) => roleLabels[role].toLowerCase()) ?? [];
  return {
    title: 'Finsam – så använder du boten',
    notice: options.notice ?? '',
    intro:
      (all || !place ? 'Alla kommandon. ' : `Kommandona du kan använda ${placeName[place]}. `) +
      'I en kanal nämner du boten först, till exempel @Finsam /hjälp.',
    who: !principal
      ? ''
      : roles.length > 0
        ? `Du är ${joinSwedish(roles)}.`
        : 'Du har ingen roll ännu. Skriv /kom igång för att se vem som kan ge dig en.',
    commands: shown.map((spec) => ({
      command: `/${spec.menuTitle ?? spec.name}`,
      summary: spec.summary,
      // The short view shows how a command is written once; "Visa alla" every variant.
      usage: all ? spec.usage : spec.usage.slice(0, 1),
    })),
    hiddenCount: all
      ? 0
      : commandTable.length -
        shown.length +
        shown.reduce((sum, spec) => sum + spec.usage.length - 1, 0),
    privacy:
      'Skriv aldrig personnummer, samordningsnummer eller namn på deltagare. Personer följs bara med de koder boten ger.',
  };
}
