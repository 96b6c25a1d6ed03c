/**
 * Final-round assignment (SPEC §2.4): every panel judge scores every finalist they are not conflicted
 * with. There is nothing to balance or randomise; it is here so that both round kinds produce the
 * same kind of typed-array result from the same conflict index.
 */
import { type ConflictIndex, validateConflictIndex } from './conflicts.js';

export interface PanelAssignmentInput {
  /** Finalists are 0 .. ideaCount − 1. */
  ideaCount: number;
  /** The panel's judges (distinct indices). */
  judges: ArrayLike<number>;
  conflicts?: ConflictIndex;
  /** Ideas left with fewer panel judges than this are reported (default 1: an idea nobody may judge). */
  minJudgesPerIdea?: number;
}

export interface PanelAssignment {
  ideaCount: number;
  /** CSR: the judges of idea i are assignments[offsets[i] .. offsets[i + 1]), in panel order. */
  offsets: Int32Array;
  assignments: Int32Array;
  /** The panel as given; loads[p] is the number of finalists judges[p] scores. */
  judges: Int32Array;
  loads: Int32Array;
  /** Ideas with fewer than minJudgesPerIdea judges, ascending. */
  unassignable: Int32Array;
}

export function assignPanel(input: PanelAssignmentInput): PanelAssignment {
  const { ideaCount } = input;
  if (!Number.isInteger(ideaCount) || ideaCount < 0) throw new RangeError(`ideaCount must be a non-negative integer (got ${ideaCount})`);
  const minJudges = input.minJudgesPerIdea ?? 1;
  const panel = Int32Array.from(input.judges);
  if (new Set(panel).size !== panel.length) throw new RangeError('judges must be distinct');
  const position = new Map<number, number>();
  panel.forEach((judge, p) => position.set(judge, p));
  if (input.conflicts) validateConflictIndex(input.conflicts, ideaCount);

  const offsets = new Int32Array(ideaCount + 1);
  const out: number[] = [];
  const loads = new Int32Array(panel.length);
  const unassignable: number[] = [];
  const excluded = new Uint8Array(panel.length);
  for (let idea = 0; idea < ideaCount; idea++) {
    const from = input.conflicts ? input.conflicts.offsets[idea] : 0;
    const to = input.conflicts ? input.conflicts.offsets[idea + 1] : 0;
    for (let c = from; c < to; c++) {
      const p = position.get((input.conflicts as ConflictIndex).judges[c]);
      if (p !== undefined) excluded[p] = 1;
    }
    let count = 0;
    for (let p = 0; p < panel.length; p++) {
      if (excluded[p]) continue;
      out.push(panel[p]);
      loads[p]++;
      count++;
    }
    for (let c = from; c < to; c++) {
      const p = position.get((input.conflicts as ConflictIndex).judges[c]);
      if (p !== undefined) excluded[p] = 0;
    }
    offsets[idea + 1] = offsets[idea] + count;
    if (count < minJudges) unassignable.push(idea);
  }
  return { ideaCount, offsets, assignments: Int32Array.from(out), judges: panel, loads, unassignable: Int32Array.from(unassignable) };
}
