import { randomUUID } from 'node:crypto';
import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import { hasRole } from '../access/access.schema.js';
import { cardMessage, textMessage, type Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { parseCaseCode } from '../cases/cases.arguments.js';
import { forbidden, invalidInput } from '../errors.js';
import {
  PARTICIPANT_CODE_PATTERN,
  participantCodeSchema,
} from '../participants/participants.schema.js';
import { toLocal } from '../schedule/local-time.js';
import { foldForLookup } from '../text.js';
import type { RetentionLine, RetentionService } from './retention.service.js';

const USAGE = [
  '/gallring – vad nästa gallring tar bort',
  '/gallring kör – gallra nu',
  '/gallring utdrag Ä-2026-0042 – registerutdrag: allt som finns sparat om ärendet (eller deltagaren, D-2026-0001)',
  '/gallring radera Ä-2026-0042 – radera ärendet på begäran (statistiken finns kvar); för en deltagare tas allt bort',
];

const isParticipantCode = (code: string) => PARTICIPANT_CODE_PATTERN.test(code);

/** A case code (read leniently, like /ärenden) or a participant code. */
function registerCode(word: string | undefined, usage: string): string {
  const participant = participantCodeSchema.safeParse(word ?? '');
  return participant.success ? participant.data : parseCaseCode(word, usage);
}

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
    requestId: randomUUID(),
  };
}

/** `/gallring` for administratörer, in the personal chat. */
export function retentionCapability(retention: RetentionService): Capability {
  return (routes) => {
    routes.command('gallring', async ({ turn, principal, command }) => {
      if (!hasRole(principal, 'admin')) {
        throw forbidden(
          'Bara förbundets administratör kan hantera gallring, registerutdrag och radering.',
        );
      }
      const [first, second, third, ...rest] = command.args;
      const sub = first === undefined ? undefined : foldForLookup(first);
      const card = (lines: RetentionLine[], done: boolean) =>
        cardMessage(CardFactory.adaptiveCard(renderCard('gallring', gallringView(lines, done))));
      switch (sub) {
        case undefined:
          await turn.sendActivity(card(await retention.preview(principal), false));
          return;
        case 'kor':
          await turn.sendActivity(card(await retention.run(principal), true));
          return;
        case 'hjalp':
          await turn.sendActivity(textMessage(['**/gallring**', ...USAGE].join('\n\n')));
          return;
        case 'utdrag': {
          const code = registerCode(second, '/gallring utdrag Ä-2026-0042');
          if (third !== undefined)
            throw invalidInput('Skriv bara koden, till exempel: /gallring utdrag Ä-2026-0042');
          const { record, audit } = await retention.extract(principal, code);
          const text = [
            `**Registerutdrag för ${code}**`,
            'Allt som finns sparat under koden, och loggen över vem som har sett eller ändrat det.',
            '```',
            JSON.stringify(
              { [isParticipantCode(code) ? 'deltagare' : 'ärende']: record, logg: audit },
              null,
              2,
            ),
            '```',
          ].join('\n\n');
          await turn.sendActivity(textMessage(text));
          return;
        }
        case 'radera': {
          const code = registerCode(second, '/gallring radera Ä-2026-0042');
          const confirmed = third !== undefined && foldForLookup(third) === 'bekrafta';
          if ((third !== undefined && !confirmed) || rest.length > 0) {
            throw invalidInput(`Skriv /gallring radera ${code} bekräfta för att radera.`);
          }
          if (!confirmed) {
            await turn.sendActivity(
              textMessage(
                isParticipantCode(code)
                  ? `Radering av ${code} kan inte ångras. Deltagaren och hela historiken tas bort och räknas inte längre i lägesrapporter. Skriv /gallring radera ${code} bekräfta för att radera.`
                  : `Radering av ${code} kan inte ångras. Ärendets innehåll tas bort och bara anonym statistik (organisation, utfall, månad) finns kvar. Skriv /gallring radera ${code} bekräfta för att radera.`,
              ),
            );
            return;
          }
          await retention.erase(principal, code);
          await turn.sendActivity(
            textMessage(
              isParticipantCode(code)
                ? `${code} är raderad. Raderingen är loggad.`
                : `${code} är raderat. Den anonyma statistiken finns kvar och raderingen är loggad.`,
            ),
          );
          return;
        }
        default:
          throw invalidInput(
            `”${first!.slice(0, 20)}” känns inte igen. Skriv så här:\n\n${USAGE.join('\n\n')}`,
          );
      }
    });

    routes.cardAction(
      'retention.run',
      z.object({ requestId: z.string().min(8).max(100) }).loose(),
      async ({ principal, data }) => {
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
    );
  };
}
