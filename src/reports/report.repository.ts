import type { ReportParticipant } from './lagesrapport.js';

/**
 * How the lägesrapport reads the participant register: the port the participant storage
 * implements, so reports never reach into the participants capability.
 */
export interface ReportSource {
  /** One länsdel's participants as the report needs them (header facts and outcome steps). */
  reportRows(lansdelId: string): Promise<ReportParticipant[]>;
}
