import { z } from 'zod';
import type { Capability } from '../bot/bot.js';
import type { Principal } from '../access/access.schema.js';
import { enrolAction, newFormAction } from './enrol-form.js';
import { importActions, receiveList, type ImportDeps } from './import.handlers.js';
import { participantCardActions, requirePersonal } from './participant-card.js';
import { listCard, participantCommand } from './participant-commands.js';
import type { CheckedList } from './import/import-rows.js';

export { enrolmentFormCard, enrolmentFromCaseCard } from './enrol-form.js';
export type { ParticipantHandlerDeps } from './enrol-form.js';
export { PARTICIPANT_USAGE } from './participant-commands.js';

/** The participant register's commands and card verbs, each from its own module. */
export function participantsCapability(deps: ImportDeps): Capability {
  const list = listCard(deps);
  const doImport = async (actor: Principal, checked: CheckedList, coachId: string) => {
    const coach = (await deps.access.listPeople(actor)).find((m) => m.id === coachId);
    return deps.participants.importList(actor, checked.ready, {
      id: coachId,
      name: coach?.displayName ?? actor.displayName,
    });
  };
  return (routes) => {
    routes.command('deltagare', participantCommand(deps));
    const listData = z.object({ page: z.coerce.number().int().min(0).max(10_000).default(0) });
    routes.cardAction({
      verb: 'participants.list',
      schema: listData,
      handle: async (ctx) => {
        requirePersonal(ctx);
        return list(ctx.principal, ctx.data.page);
      },
    });
    routes.cardAction(newFormAction(deps));
    routes.cardAction(enrolAction(deps));
    const [open, step, followUp, deviation] = participantCardActions(deps.participants);
    routes.cardAction(open);
    routes.cardAction(step);
    routes.cardAction(followUp);
    routes.cardAction(deviation);
    const [preview, confirm] = importActions(deps, doImport);
    routes.cardAction(preview);
    routes.cardAction(confirm);
  };
}

/** What the bot does with a file sent in the personal chat: a participant list to import. */
export const participantListReceiver = receiveList;
