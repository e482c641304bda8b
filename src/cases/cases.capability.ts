import type { Capability } from '../bot/bot.js';
import { caseCommand } from './handlers/case-command.js';
import type { CaseHandlerDeps } from './handlers/case-handler-deps.js';
import { decideAction, decisionAction } from './handlers/decision-actions.js';
import { newCaseAction, submitCaseAction } from './handlers/form-actions.js';
import {
  chooseMeetingAction,
  closeAction,
  moveAction,
  planAction,
  presentAction,
} from './handlers/step-actions.js';
import {
  historyAction,
  listAction,
  logAction,
  showAction,
  viewAction,
  waitingAction,
} from './handlers/view-actions.js';

export type { CaseHandlerDeps } from './handlers/case-handler-deps.js';

/** `/ärenden` and every button on the case cards. */
export function casesCapability(deps: CaseHandlerDeps): Capability {
  return (routes) => {
    routes.command('ärenden', caseCommand(deps));
    routes.cardAction(newCaseAction(deps));
    routes.cardAction(submitCaseAction(deps));
    routes.cardAction(listAction(deps));
    routes.cardAction(waitingAction(deps));
    routes.cardAction(showAction(deps));
    routes.cardAction(viewAction(deps));
    routes.cardAction(historyAction(deps));
    routes.cardAction(logAction(deps));
    routes.cardAction(planAction(deps));
    routes.cardAction(chooseMeetingAction(deps));
    routes.cardAction(moveAction(deps));
    routes.cardAction(presentAction(deps));
    routes.cardAction(decisionAction(deps));
    routes.cardAction(decideAction(deps));
    routes.cardAction(closeAction(deps));
  };
}
