/**
 * The one list of chat commands. It drives routing, the `/hjälp` card and the manifest's
 * `commandLists`; a test keeps the three equal.
 */
import type { Role } from '../principal.js';

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
  /** Who can use the command: everyone, or people with one of these roles. */
  readonly audience: 'alla' | readonly Role[];
  /** The words shown in Teams' command menu, when they differ from the name. */
  readonly menuTitle?: string;
}

const everywhere: readonly CommandScope[] = ['personal', 'team', 'groupChat'];

export const commandTable = [
  {
    name: 'hjälp',
    aliases: ['hjalp', 'help'],
    summary: 'Visar vad boten kan och hur kommandona används.',
    usage: ['/hjälp'],
    scopes: everywhere,
    audience: 'alla',
  },
  {
    name: 'kom',
    aliases: ['start', 'kom-igång', 'kom-igang', 'komigång', 'komigang'],
    menuTitle: 'kom igång',
    summary:
      'Kom igång: dina roller, förbundets organisationer och länsdelar, och vilka som ska vara samordnare och coacher.',
    usage: ['/kom igång – inställningar för dig och förbundet (administratörer ger roller här)'],
    scopes: everywhere,
    audience: 'alla',
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
    audience: 'alla',
  },
  {
    name: 'påminnelser',
    aliases: ['paminnelser'],
    summary:
      'Visar påminnelserna de närmaste 14 dagarna här. Samordnare kan pausa, återuppta och skicka direkt.',
    usage: [
      '/påminnelser – det som är planerat i den här kanalen eller chatten',
      '/påminnelser ny 2026-03-02 09:00 <text> – en egen påminnelse (samordnare)',
      '/påminnelser ny imorgon 08:30 <text>',
      '/påminnelser ny om 10 min <text>',
    ],
    scopes: everywhere,
    audience: 'alla',
  },
  {
    name: 'möte',
    aliases: ['mote'],
    summary:
      'Visar nästa mötes dagordning där alla kan lägga till punkter. Samordnare skapar mötesserier och för protokoll.',
    usage: [
      '/möte – nästa möte här, med dagordning och formulär för nya punkter',
      '/möte ny – skapa en mötesserie med kallelser och påminnelser (samordnare)',
      '/möte protokoll – närvaro, anteckningar, beslut och uppgifter under mötet (samordnare)',
    ],
    scopes: ['team', 'groupChat'],
    audience: 'alla',
  },
  {
    name: 'möten',
    aliases: ['moten'],
    summary: 'Listar kommande möten här. Samordnare kan flytta eller ställa in ett möte.',
    usage: ['/möten'],
    scopes: ['team', 'groupChat'],
    audience: 'alla',
  },
  {
    name: 'uppgifter',
    aliases: [],
    summary: 'Visar öppna uppgifter från mötena här, eller dina egna i chatten med boten.',
    usage: ['/uppgifter'],
    scopes: everywhere,
    audience: 'alla',
  },
  {
    name: 'ärenden',
    aliases: ['arenden'],
    summary:
      'Ärendekön för mötena här: anmäl, planera, besluta och följ ärenden med kod. Detaljer visas bara privat.',
    usage: [
      '/ärenden – öppna ärenden här, per status (filtrera: /ärenden fk planerad 2026-12-08)',
      '/ärenden ny – anmäl ett ärende (kräver samtycke)',
      '/ärenden kö [insats] – väntelistan med plats i kön; /ärenden kö <kod> <insats> ställer i kö',
      '/ärenden visa|planera|flytta|dragen|beslut|avsluta|logg <kod>',
      '/ärenden hjälp – alla varianter med exempel',
    ],
    scopes: everywhere,
    audience: ['representant', 'samordnare', 'admin'],
  },
  {
    name: 'gallring',
    aliases: [],
    summary:
      'Administratörer: visa och kör gallringen, ta ut registerutdrag och radera en kod på begäran.',
    usage: [
      '/gallring – vad nästa gallring tar bort',
      '/gallring kör – gallra nu',
      '/gallring utdrag <kod> – allt som finns sparat om ett ärende eller en deltagare',
      '/gallring radera <kod> – radera ett ärende eller en deltagare på begäran',
    ],
    scopes: ['personal'],
    audience: ['admin'],
  },
  {
    name: 'deltagare',
    aliases: [],
    summary:
      'Deltagarregistret: skriv in deltagare, registrera steg, uppföljningar och avvikelser (i chatten med boten).',
    usage: [
      '/deltagare – dina deltagare med aktuellt steg och nästa uppföljning',
      '/deltagare ny – skriv in en ny deltagare',
      '/deltagare visa D-2026-0001 – uppgifter och historik',
      '/deltagare steg D-2026-0001 arbetsträning [ÅÅÅÅ-MM-DD] [anteckning]',
      '/deltagare hjälp',
    ],
    scopes: ['personal'],
    audience: ['coach', 'samordnare'],
  },
  {
    name: 'status',
    aliases: ['driftstatus'],
    summary:
      'Administratörer: version, om lagringen svarar, väntande påminnelser och konversationer där boten tagits bort.',
    usage: ['/status – driftstatus (administratörer)', '/status hjälp – hur kommandot används'],
    scopes: ['personal'],
    audience: ['admin'],
  },
  {
    name: 'rapport',
    aliases: ['lägesrapport', 'lagesrapport'],
    summary:
      'Samordnare: halvårets lägesrapport per länsdel, med diagram och som Word-, Excel- eller CSV-fil.',
    usage: [
      '/rapport – hela förbundet, halvåret hittills',
      '/rapport Norra 2026-06-30 – en länsdel per 30 juni eller 31 december',
    ],
    scopes: ['personal'],
    audience: ['samordnare'],
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof commandTable)[number]['name'];
