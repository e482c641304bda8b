import type { CommandHandler } from '../bot/bot.js';
import { parseCardInput } from '../bot/card-input.js';
import { renderCard } from '../bot/card-renderer.js';
import { invalidInput } from '../errors.js';
import { foldForLookup } from '../text.js';
import { enrolmentFormCard, type ParticipantHandlerDeps } from './enrol-form.js';
import type { ImportDeps } from './import.handlers.js';
import { canManageAll } from './participant-access.js';
import { detailCard, requirePersonal, savedCard } from './participant-card.js';
import { dateWord } from './participant-forms.js';
import { stepRecordedText, stepWords } from './participant-labels.js';
import { importCard } from './import.handlers.js';
import { participantListView } from './participants.cards.js';
import { participantCodeSchema } from './participants.schema.js';

export const PARTICIPANT_USAGE = [
  '/deltagare – dina deltagare med aktuellt steg och nästa uppföljning (samordnare: alla, och försenade uppföljningar)',
  '/deltagare ny – skriv in en ny deltagare',
  '/deltagare visa D-2026-0001 – uppgifter och historik',
  '/deltagare steg D-2026-0001 arbetsträning [2026-11-20] [kort anteckning] – registrera ett steg',
  '/deltagare import – läs in dagens deltagarlista (.xlsx eller .csv)',
  '/deltagare hjälp',
];

const STEP_WORDS_TEXT =
  'kartläggning, motiverande, studiebesök, arbetsträning, arbetsprövning, studier, arbete-sub, arbete, annan-insats, avbrott, avslutad';

export function listCard(deps: ParticipantHandlerDeps) {
  return async (actor: Parameters<typeof canManageAll>[0], page = 0) => {
    const { participants } = deps;
    const { participants: list, overdue } = await participants.list(actor);
    const all = canManageAll(actor);
    return renderCard(
      'participant-list',
      participantListView({
        heading: all ? 'Alla deltagare' : 'Mina deltagare',
        participants: list,
        overdue: all ? overdue : [],
        program: participants.program,
        today: participants.today(),
        emptyText: 'Inga deltagare ännu. Välj Ny deltagare för att skriva in någon.',
        page,
      }),
    );
  };
}

/** `/deltagare …`: the register's typed commands, in the personal chat only. */
export function participantCommand(deps: ImportDeps): CommandHandler {
  const { participants } = deps;
  const list = listCard(deps);
  return async (turn) => {
    const [first, ...rest] = turn.command.args;
    const sub = first ? foldForLookup(first) : undefined;
    if (sub === 'hjalp' || sub === 'help') {
      await turn.reply(
        `Så här används /deltagare:\n\n${PARTICIPANT_USAGE.join('\n\n')}\n\nSteg: ${STEP_WORDS_TEXT}.`,
      );
      return;
    }
    requirePersonal(turn);
    const { principal } = turn;
    switch (sub) {
      case undefined:
        await turn.reply(await list(principal));
        return;
      case 'ny':
        await turn.reply(await enrolmentFormCard(deps, principal));
        return;
      case 'import':
        await turn.reply(await importCard(deps, principal));
        return;
      case 'visa': {
        const code = parseCardInput(participantCodeSchema, rest[0] ?? '');
        await turn.reply(await detailCard(participants, principal, code));
        return;
      }
      case 'steg': {
        const code = parseCardInput(participantCodeSchema, rest[0] ?? '');
        const step = stepWords[foldForLookup(rest[1] ?? '')];
        if (!step) {
          throw invalidInput(
            `Skriv vilket steg, till exempel: /deltagare steg ${code} arbetsträning. Steg: ${STEP_WORDS_TEXT}.`,
          );
        }
        const dated = dateWord(rest[2]);
        if (dated === 'bad-date') {
          throw invalidInput(
            `Datumet finns inte, så inget registrerades. Datum skrivs ÅÅÅÅ-MM-DD, till exempel /deltagare steg ${code} arbetsträning 2026-03-15.`,
          );
        }
        const on = dated === 'date' ? rest[2]! : participants.today();
        const text = rest.slice(dated === 'date' ? 3 : 2).join(' ');
        if (text.length > 300) throw invalidInput('Anteckningen är för lång (högst 300 tecken).');
        if (step === 'annanInsats' && !text) {
          throw invalidInput(
            `Skriv vilken insats efter steget: /deltagare steg ${code} annan-insats daglig verksamhet`,
          );
        }
        if (step === 'annanInsats' && text.length > 80) {
          throw invalidInput('Namnet på den andra insatsen är för långt (högst 80 tecken).');
        }
        const requestId = `msg-${turn.activityId.replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 100);
        const recorded = await participants.recordStep(principal, code, {
          requestId,
          step,
          on,
          ...(step === 'annanInsats' ? { which: text } : text ? { note: text } : {}),
        });
        const notice = recorded.created
          ? stepRecordedText(step, on, {
              nextFollowUpOn: recorded.participant.nextFollowUpOn,
              code,
            })
          : 'Det här var redan registrerat. Inget registrerades två gånger.';
        await turn.reply(
          await savedCard(
            participants,
            principal,
            code,
            { text: notice, isError: false },
            recorded,
          ),
        );
        return;
      }
      default:
        throw invalidInput(`Så här används /deltagare:\n\n${PARTICIPANT_USAGE.join('\n\n')}`);
    }
  };
}
