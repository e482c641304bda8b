import type { CardJson } from '../../bot/card-renderer.js';
import { formatWhenShort } from '../../schedule/format.js';
import type { MeetingSeries, Occurrence } from '../meetings.schema.js';
import { pageOf, renderWithinBudget, truncate } from './card-budget.js';
import { meetingHeader, noNotice, noticeFields, type Notice, type OrgNames } from './card-parts.js';
import { attendanceTexts, byline, tooLarge } from './meeting-cards.js';
import { newId } from '../../ids.js';

const MINUTES_PAGE = 12;
const NOTES_ON_CARD = 600;
const DECISION_ON_CARD = 600;
const ACTION_ON_CARD = 140;

/** The minnesanteckningar as plain data: the card and the Markdown are both made from it. */
/** `nextDate`: the series' next meeting, offered as the samordnare's next step. */
export function minutesOf(
  series: MeetingSeries,
  occurrence: Occurrence,
  names: OrgNames,
  nextDate = '',
) {
  const handled = occurrence.items.filter((i) => i.status === 'active' && i.handled);
  const notCarried = occurrence.items.filter(
    (i) => occurrence.state === 'closed' && i.status === 'active' && !i.handled,
  );
  return {
    ...meetingHeader(series, occurrence),
    attendanceText: attendanceTexts(series, occurrence, names).attendanceText,
    closedText: occurrence.closedAt
      ? `${occurrence.closedByName ?? ''}, ${formatWhenShort(new Date(occurrence.closedAt))}`
      : '–',
    items: handled.map((item, index) => ({
      number: index + 1,
      title: item.title,
      notes: item.notes ?? '',
      decisions: occurrence.decisions
        .filter((d) => d.itemId === item.id)
        .map((d) => ({
          id: d.id,
          label: d.corrects ? 'Rättelse' : 'Beslut',
          text: d.text,
          byline: byline(d),
          canCorrect: !occurrence.decisions.some((other) => other.corrects === d.id),
        })),
    })),
    actionItems: occurrence.actions.map((a) => ({
      what: a.what,
      owner: a.ownerName,
      due: a.dueDate,
    })),
    carriedOver: occurrence.items
      .filter((i) => i.status === 'deferred')
      .map((i) => ({ title: i.title })),
    notCarried: notCarried.map((i) => ({ title: i.title })),
    nextDate,
    notCarriedHeading: occurrence.header.carriedTo
      ? `Fick inte plats på mötet ${occurrence.header.carriedTo} (högst 40 punkter)`
      : 'Inte behandlade (inget senare möte i serien)',
  };
}
export type Minutes = ReturnType<typeof minutesOf>;

/**
 * The minutes card: items page by page, long notes and decisions shortened (the whole text is
 * in the Markdown the samordnare gets and on each item's form), within the card budget.
 */
export function minutesCard(minutes: Minutes, notice: Notice = noNotice, start = 0): CardJson {
  return renderWithinBudget(
    'minutes',
    (size) => {
      const page = pageOf(minutes.items, start, size);
      return {
        ...minutes,
        ...noticeFields(notice),
        /** Names a click on Hämta som Word, so a re-delivered click offers no second file. */
        requestId: newId(),
        pageText: page.pageText,
        prevStart: page.prevStart,
        nextStart: page.nextStart,
        items: page.shown.map((item) => ({
          ...item,
          notes: truncate(item.notes, NOTES_ON_CARD),
          decisions: item.decisions.map((d) => ({
            ...d,
            text: truncate(d.text, DECISION_ON_CARD),
            requestId: newId(),
          })),
        })),
        actionItems: minutes.actionItems.map((a) => ({
          ...a,
          what: truncate(a.what, ACTION_ON_CARD),
        })),
      };
    },
    MINUTES_PAGE,
    () => tooLarge({ name: minutes.title } as MeetingSeries),
  );
}

/** Teams refuses long messages: the Markdown goes out in parts of at most this many bytes. */
const MARKDOWN_PART_BYTES = 24 * 1024;

/**
 * The minutes as Markdown, for the samordnare to send on by e-mail or paste into a document,
 * split between items into messages that each stay within what Teams accepts.
 */
export function minutesMarkdown(minutes: Minutes): string[] {
  const blocks: string[] = [
    [
      `# Minnesanteckningar: ${minutes.title}`,
      '',
      `- **När:** ${minutes.when}`,
      `- **Var:** ${minutes.place}`,
      `- **Närvarande:** ${minutes.attendanceText}`,
      '',
      '## Punkter',
    ].join('\n'),
  ];
  for (const item of minutes.items) {
    const lines = [`### § ${item.number} ${item.title}`];
    if (item.notes) lines.push('', item.notes);
    for (const d of item.decisions) lines.push('', `**${d.label}:** ${d.text}  `, `_${d.byline}_`);
    blocks.push(lines.join('\n'));
  }
  if (minutes.actionItems.length > 0) {
    blocks.push(
      [
        '## Uppgifter',
        '',
        ...minutes.actionItems.map((a) => `- ${a.what} – ${a.owner}, klar senast ${a.due}`),
      ].join('\n'),
    );
  }
  if (minutes.carriedOver.length > 0) {
    blocks.push(
      ['## Flyttas till nästa möte', '', ...minutes.carriedOver.map((c) => `- ${c.title}`)].join(
        '\n',
      ),
    );
  }
  if (minutes.notCarried.length > 0) {
    blocks.push(
      [
        `## ${minutes.notCarriedHeading}`,
        '',
        ...minutes.notCarried.map((c) => `- ${c.title}`),
      ].join('\n'),
    );
  }
  const parts: string[] = [];
  let current = '';
  for (const block of blocks) {
    const next = current === '' ? block : `${current}\n\n${block}`;
    if (current !== '' && Buffer.byteLength(next, 'utf8') > MARKDOWN_PART_BYTES) {
      parts.push(current);
      current = block;
    } else {
      current = next;
    }
  }
  if (current !== '') parts.push(current);
  return parts.map((part, index) =>
    (parts.length > 1 ? `${part}\n\n_(del ${index + 1} av ${parts.length})_` : part).normalize(
      'NFC',
    ),
  );
}
