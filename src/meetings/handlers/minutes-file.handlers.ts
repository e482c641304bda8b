import { z } from 'zod';
import type { BotRoutes } from '../../bot/bot.js';
import { DOCX_TYPE, offeredText } from '../../documents/file-offers.js';
import { minutesCard, minutesOf } from '../cards/minutes-cards.js';
import { occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor } from '../series/unit-of-work.js';
import { refFields, refOf, type HandlerContext } from './context.js';

/** A file name Windows and OneDrive take: their reserved characters and control characters become spaces. */
const fileNameOf = (text: string) =>
  [...text]
    .map((char) => (char.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(char) ? ' ' : char))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);

/**
 * The minnesanteckningar as a Word file, offered in the asker's personal chat (Teams' file
 * consent, or a single-use download link where the client has none); the minutes card comes
 * back saying where the file is.
 */
export function registerMinutesFile(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  routes.cardAction({
    verb: 'meeting.minutesFile',
    // Cards posted before the request id was on the button send none: the activity id stands in.
    schema: z.object({ ...refFields, requestId: z.uuid().optional() }),
    handle: async ({ principal, conversationId, activityId, data }) => {
      const ref = refOf(conversationId, data);
      const state = await readSeries(use, ref, windowFor(ref.date, deps.now()));
      const occurrence = occurrenceOf(state, ref.date);
      const minutes = minutesOf(
        state.series,
        occurrence,
        await ctx.names(),
        state.nextAfter(occurrence.date)?.key,
      );
      const name = fileNameOf(`Minnesanteckningar ${state.series.name} ${occurrence.date}`);
      const offered = await deps.files.offer(
        principal.userId,
        data.requestId ?? activityId,
        async () => {
          // The Word library is loaded when a Word file is asked for, not at start.
          const { minutesDocx } = await import('../../documents/minutes-docx.js');
          return {
            name: `${name}.docx`,
            mediaType: DOCX_TYPE,
            bytes: await minutesDocx(minutes),
            description: `Minnesanteckningar från ${minutes.title}, ${minutes.when}`,
          };
        },
      );
      return minutesCard(minutes, {
        text: offeredText(offered, 'Minnesanteckningarna som Word-fil'),
        isError: offered === 'no-chat',
      });
    },
  });
}
