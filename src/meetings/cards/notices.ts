import { formatWhen } from '../../schedule/format.js';
import type { ActionItem, AgendaItem } from '../meetings.schema.js';
import type { PostOutcome } from '../posting/channel-cards.js';
import { ok, refused, type Notice } from './card-parts.js';

/**
 * What the cards say after a change: every confirmation of the meetings capability in one
 * place. Quoted titles are stored (checked) text, never what was typed before the checks.
 */
export const notices = {
  seriesCreated: (name: string) =>
    `Mötesserien ”${name}” är skapad. Kallelser skickas hit automatiskt.`,
  seriesRepeated: (name: string) =>
    `Mötesserien ”${name}” finns – formuläret kom fram mer än en gång, men serien skapades bara en gång.`,
  lateKallelse: (date: string, dueAt: Date) =>
    `Kallelsen till mötet ${date} skulle ha skickats ${formatWhen(dueAt)}, innan serien fanns. Den skickas till kanalen nu.`,
  moved: (toDate: string, toTime?: string) =>
    ok(`Mötet är flyttat till ${toDate}${toTime ? ` kl. ${toTime}` : ''}.`),
  cancelled: (moved: number, notMoved: number, to?: string) =>
    ok(
      [
        moved > 0 && to
          ? `Mötet är inställt. ${moved} ${moved === 1 ? 'punkt är flyttad' : 'punkter är flyttade'} till mötet ${to}.`
          : 'Mötet är inställt.',
        notMoved > 0
          ? `${notMoved} ${notMoved === 1 ? 'punkt' : 'punkter'} fick inte plats där (högst 40 punkter) och finns kvar på det inställda mötet.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    ),
  itemAdded: (item: AgendaItem) =>
    ok(
      item.status === 'pendingApproval'
        ? `”${item.title}” är tillagd efter sista dag och väntar på samordnarens godkännande.`
        : `”${item.title}” är tillagd på dagordningen.`,
    ),
  itemAlreadyAdded: ok('Punkten fanns redan. Den lades inte till igen.'),
  itemEdited: (item: AgendaItem) => ok(`”${item.title}” är ändrad.`),
  itemUnchanged: ok('Inget var ändrat i punkten.'),
  itemWithdrawn: ok('Punkten är tillbakadragen.'),
  itemApproved: ok('Punkten är godkänd och står på dagordningen.'),
  itemDeferred: (to: string) => ok(`Punkten är flyttad till mötet ${to}.`),
  itemReordered: (moved: boolean) =>
    ok(moved ? 'Ordningen är ändrad.' : 'Ordningen var redan ändrad.'),
  itemTimeboxed: (minutes: number) =>
    ok(`Punkten har nu ${minutes} ${minutes === 1 ? 'minut' : 'minuter'}.`),
  dagordning: {
    posted: ok('Dagordningen är skickad till kanalen.'),
    updated: ok('Dagordningen i kanalen är uppdaterad.'),
    pending: ok('Dagordningen skickas just nu till kanalen; den uppdateras när den är ute.'),
    'not-sent': refused(
      'Dagordningen kunde inte skickas till kanalen just nu. Försök igen om en stund.',
    ),
  } satisfies Record<PostOutcome, Notice>,
  onlyCoordinatorsStart: refused('Bara samordnare kan starta mötet.'),
  attendanceSaved: ok('Närvaron är sparad.'),
  itemRecorded: ok('Punkten är sparad.'),
  alreadyClosed: ok('Mötet var redan avslutat.'),
  closed: (
    posted: PostOutcome,
    carried: { readonly to?: string; readonly moved: number; readonly notMoved: number },
    markdown: boolean,
  ) =>
    ok(
      [
        posted === 'not-sent'
          ? 'Minnesanteckningarna kunde inte skickas till kanalen just nu; de finns här på kortet.'
          : 'Minnesanteckningarna är skickade till kanalen.',
        carried.to && carried.moved > 0
          ? `Punkter som inte behandlades är flyttade till mötet ${carried.to}.`
          : '',
        carried.to && carried.notMoved > 0
          ? `${carried.notMoved} ${carried.notMoved === 1 ? 'punkt' : 'punkter'} fick inte plats på mötet ${carried.to} (högst 40 punkter); de står sist i minnesanteckningarna.`
          : '',
        markdown
          ? 'Minnesanteckningarna i Markdown skickas till din chatt med boten.'
          : 'Öppna en chatt med boten för att få minnesanteckningarna i Markdown.',
      ]
        .filter(Boolean)
        .join(' '),
    ),
  corrected: ok('Rättelsen är sparad. Det ursprungliga beslutet finns kvar i historiken.'),
  actionDone: (action: ActionItem) => ok(`”${action.what}” är markerad som klar.`),
  noMeetings: 'Inga möten är planerade här. En samordnare skapar en mötesserie med /möte ny.',
  kallelseText: 'Kallelse: lägg till punkter på dagordningen.',
};
