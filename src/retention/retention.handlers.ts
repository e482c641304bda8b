import { z } from 'zod';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { invalidInput } from '../errors.js';
import { toLocal } from '../schedule/local-time.js';
import { foldForLookup } from '../text.js';
import { extractMessages } from './register-extract.js';
import type { RetentionLine, RetentionService } from './retention.service.js';
import { newId } from '../ids.js';

const USAGE = [
  '/gallring – vad nästa gallring tar bort',
  '/gallring kör – gallra nu',
  '/gallring utdrag Ä-2026-0042 – registerutdrag: allt som finns sparat om ärendet (eller deltagaren, D-2026-0001)',
  '/gallring radera Ä-2026-0042 – radera ärendet på begäran (statistiken finns kvar); för en deltagare tas allt bort',
];
/** A pause between the parts of a long registerutdrag, inside Teams' 8 messages per 2 s. */
const PART_PAUSE_MS = 250;

function countsText(line: RetentionLine, done: boolean): string {
  const parts = [
    line.counts.anonymised > 0 || line.kind === 'closedCases'
      ? `${line.counts.anonymised} ${done ? 'reducerades' : 'reduceras'} till anonym statistik`
      : '',
    line.counts.removed > 0 || line.kind !== 'closedCases'
      ? `${line.counts.removed} ${done ? 'togs bort' : 'tas bort'}`
      : '',
  ].filter(Boolean);
  return parts.join(', ');
}

function gallringView(lines: readonly RetentionLine[], done: boolean, notice = '') {
  return {
    title: done ? 'Gallringen är körd' : 'Gallring: förhandsvisning',
    subtitle: done
      ? 'Körningen är loggad med antal, inte innehåll.'
      : 'Det här tar nästa körning bort. Den dagliga körningen sker automatiskt.',
    notice,
    noticeIsError: false,
    rows: lines.map((line) => ({
      label: line.label,
      period: `Sparas ${line.days} dagar: allt äldre än ${toLocal(line.cutoff).date}`,
      counts: countsText(line, done),
    })),
    canRun: !done,
    requestId: newId(),
  };
}

const runSchema = z.object({ requestId: z.uuid() });

/** `/gallring` for administratörer, in the personal chat. */
export function retentionCapability(retention: RetentionService): Capability {
  return (routes) => {
    routes.command('gallring', async (ctx) => {
      const { principal, command } = ctx;
      await retention.requireAdmin(principal);
      const [first, second, third, ...rest] = command.args;
      const sub = first === undefined ? undefined : foldForLookup(first);
      const card = (lines: RetentionLine[], done: boolean) =>
        renderCard('gallring', gallringView(lines, done));
      switch (sub) {
        case undefined:
          return ctx.reply(card(await retention.preview(principal), false));
        case 'kor':
          return ctx.reply(card(await retention.run(principal), true));
        case 'hjalp':
          return ctx.reply(['**/gallring**', ...USAGE].join('\n\n'));
        case 'utdrag': {
          const { code, subjectType } = retention.readCode(second, '/gallring utdrag Ä-2026-0042');
          if (third !== undefined)
            throw invalidInput('Skriv bara koden, till exempel: /gallring utdrag Ä-2026-0042');
          const { record, audit } = await retention.extract(principal, code, ctx.activityId);
          const label = subjectType === 'participant' ? 'deltagare' : 'ärende';
          const parts = extractMessages(code, label, record, audit);
          for (const [i, part] of parts.entries()) {
            if (i > 0) await new Promise((resolve) => setTimeout(resolve, PART_PAUSE_MS));
            await ctx.reply(part);
          }
          return;
        }
        case 'radera': {
          const { code, subjectType } = retention.readCode(second, '/gallring radera Ä-2026-0042');
          const isParticipant = subjectType === 'participant';
          const confirmed = third !== undefined && foldForLookup(third) === 'bekrafta';
          if ((third !== undefined && !confirmed) || rest.length > 0) {
            throw invalidInput(`Skriv /gallring radera ${code} bekräfta för att radera.`);
          }
          if (!confirmed) {
            return ctx.reply(
              isParticipant
                ? `Radering av ${code} kan inte ångras. Deltagaren och hela historiken tas bort och räknas inte längre i lägesrapporter. Skriv /gallring radera ${code} bekräfta för att radera.`
                : `Radering av ${code} kan inte ångras. Ärendets innehåll tas bort och bara anonym statistik (organisation, utfall, månad) finns kvar. Skriv /gallring radera ${code} bekräfta för att radera.`,
            );
          }
          await retention.erase(principal, code);
          return ctx.reply(
            isParticipant
              ? `${code} är raderad. Raderingen är loggad.`
              : `${code} är raderat. Den anonyma statistiken finns kvar och raderingen är loggad.`,
          );
        }
        default:
          throw invalidInput(
            `Det ordet känns inte igen efter /gallring. Skriv så här:\n\n${USAGE.join('\n\n')}`,
          );
      }
    });

    routes.cardAction({
      verb: 'retention.run',
      schema: runSchema,
      async handle({ principal, data }) {
        const lines = await retention.runOnce(principal, data.requestId);
        if (lines) return renderCard('gallring', gallringView(lines, true));
        return renderCard(
          'gallring',
          gallringView(
            await retention.preview(principal),
            false,
            'Den här körningen är redan gjord. Så här ser nästa körning ut.',
          ),
        );
      },
    });
  };
}
