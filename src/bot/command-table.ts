/**
 * The one list of chat commands. It drives routing, the `/hjälp` card and the manifest's
 * `commandLists`; a test keeps the three equal.
 */
export type CommandScope = 'personal' | 'team' | 'groupChat';

export interface CommandSpec {
  /** The command word without the leading slash, NFC, lower case, e.g. `hjälp`. */
  readonly name: string;
  /** Other words that run the same command, e.g. the ASCII spelling `hjalp`. */
  readonly aliases: readonly string[];
  /** One line in Swedish, shown in `/hjälp` and in the Teams command menu (max 128 chars). */
  readonly summary: string;
  /** How to call it, in Swedish, shown in `/hjälp`. */
  readonly usage: readonly string[];
  readonly scopes: readonly CommandScope[];
}

const everywhere: readonly CommandScope[] = ['personal', 'team', 'groupChat'];

export const commandTable = [
  {
    name: 'hjälp',
    aliases: ['hjalp', 'help'],
    summary: 'Visar vad boten kan och hur kommandona används.',
    usage: ['/hjälp'],
    scopes: everywhere,
  },
  {
    name: 'roller',
    aliases: [],
    summary:
      'Visar din organisation och dina roller. Administratörer tilldelar och tar bort roller.',
    usage: [
      '/roller – dina roller, och för administratörer alla tilldelade roller',
      '/roller ge @person <roll> [organisation]',
      '/roller ta bort @person <roll>',
      '/roller organisationer – förbundets medlemsorganisationer',
    ],
    scopes: everywhere,
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof commandTable)[number]['name'];
