import { ENDING_STEPS, type ParticipantEvent, type Step } from './participants.schema.js';

const OUTCOME_STEPS: readonly Step[] = [
  'arbeteSubventionerad',
  'arbeteOsubventionerad',
  'studier',
  'annanInsats',
  'avbrott',
];

/**
 * The history rows the lägesrapport needs, by date: every outcome step (arbete, studier, annan
 * insats, avbrott), every ending, and the first step after an ending (the participant came back).
 * Keeping these and no others gives the same outcome on every date as the whole history.
 */
export function outcomeSteps<T extends Pick<ParticipantEvent, 'kind' | 'step' | 'on' | 'seq'>>(
  events: readonly T[],
): T[] {
  const steps = events
    .filter((e) => e.kind === 'step' && e.step !== undefined)
    .sort((a, b) => a.on.localeCompare(b.on) || a.seq - b.seq);
  const kept: T[] = [];
  let ended = false;
  for (const event of steps) {
    const ends = ENDING_STEPS.includes(event.step!);
    if (OUTCOME_STEPS.includes(event.step!) || ends || ended) kept.push(event);
    ended = ends;
  }
  return kept;
}
