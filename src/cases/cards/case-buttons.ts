import type { Principal } from '../../access/access.schema.js';
import { maySeeDetails } from '../case-rights.js';
import { hasRole } from '../../access/access.schema.js';
import type { CaseStatus, CaseSummary } from '../cases.schema.js';
import { newId } from '../../ids.js';

/** The next steps a card offers for one case, as flags its template turns into buttons. */
export interface NextSteps {
  readonly canPlan: boolean;
  readonly canMove: boolean;
  readonly canPresent: boolean;
  readonly canDecide: boolean;
  readonly canClose: boolean;
  readonly canView: boolean;
  readonly hasSteps: boolean;
  /** Sent with state-changing buttons, so a double click changes the case once. */
  readonly requestId: string;
}

const NO_STEPS = {
  canPlan: false,
  canMove: false,
  canPresent: false,
  canDecide: false,
  canClose: false,
  canView: false,
  hasSteps: false,
};

const COORDINATOR_STEPS: Record<CaseStatus, readonly (keyof NextSteps)[]> = {
  inkommen: ['canPlan', 'canClose'],
  planerad: ['canPresent', 'canDecide', 'canMove'],
  dragen: ['canDecide'],
  beslut: ['canClose'],
  aterremitterad: ['canPlan', 'canClose'],
  iko: ['canPlan', 'canClose'],
  avslutad: [],
};

/**
 * What the viewer can do next with a case: samordnare plan, move, present, decide and close as
 * the status allows; samordnare and the referring organisation's representatives may view. No
 * viewer is the channel's view (what every member may see): no steps at all.
 */
export function nextSteps(
  summary: Pick<CaseSummary, 'status' | 'organisationId'>,
  viewer: Principal | undefined,
): NextSteps {
  if (!viewer) return { ...NO_STEPS, requestId: newId() };
  const coordinator = hasRole(viewer, 'samordnare', 'admin');
  const allowed = new Set(coordinator ? COORDINATOR_STEPS[summary.status] : []);
  const steps = {
    canPlan: allowed.has('canPlan'),
    canMove: allowed.has('canMove'),
    canPresent: allowed.has('canPresent'),
    canDecide: allowed.has('canDecide'),
    canClose: allowed.has('canClose'),
    canView: maySeeDetails(viewer, summary),
  };
  return { ...steps, hasSteps: Object.values(steps).some(Boolean), requestId: newId() };
}
