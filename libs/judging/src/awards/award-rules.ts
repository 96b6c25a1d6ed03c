import type { FieldError } from '@app/platform';
import type { AcceleratorStatus, AwardStatus, Payee, PaymentStatus } from './funding-award.entity.js';

export interface AwardState {
  status: AwardStatus;
  acceleratorStatus: AcceleratorStatus;
  paymentStatus: PaymentStatus;
  payee: Payee | null;
}

export type AwardPatch = Partial<AwardState>;

/** What the payee rules need to know about the winning team, as of today. */
export interface TeamFacts {
  members: { userId: string; adult: boolean }[];
  /** Schools the members are pupils of. */
  schoolIds: string[];
}

const STATUS_NEXT: Record<AwardStatus, AwardStatus[]> = {
  awarded: ['accepted', 'withdrawn'],
  accepted: ['paid', 'withdrawn'],
  paid: [],
  withdrawn: [],
};
const ACCELERATOR_NEXT: Record<AcceleratorStatus, AcceleratorStatus[]> = {
  offered: ['accepted', 'declined'],
  accepted: ['completed', 'declined'],
  declined: [],
  completed: [],
};
const PAYMENT_NEXT: Record<PaymentStatus, PaymentStatus[]> = {
  pending: ['paid', 'withheld'],
  withheld: ['pending', 'paid'],
  paid: [],
};

function move<T extends string>(field: string, from: T, to: T | undefined, next: Record<T, T[]>, errors: FieldError[]): T {
  if (to === undefined || to === from) return from;
  if (!next[from].includes(to)) {
    errors.push({ field, message: `${field} cannot go from ${from} to ${to}${next[from].length ? ` (only to ${next[from].join(' or ')})` : ''}` });
    return from;
  }
  return to;
}

/**
 * The award after an organiser's change (SPEC §2.4), or every rule it breaks:
 * - status awarded → accepted → paid, or → withdrawn before payment; paying (status or paymentStatus
 *   "paid") moves both together;
 * - a payee is needed to accept or pay, and cannot change once paid;
 * - the payee is an adult member of the team; only a team with no adult may name a parent/guardian
 *   or one of the members' schools instead.
 */
export function nextAwardState(current: AwardState, patch: AwardPatch, team: TeamFacts): { state: AwardState; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const paying = patch.status === 'paid' || patch.paymentStatus === 'paid';
  const status = move('status', current.status, paying && current.status !== 'paid' ? 'paid' : patch.status, STATUS_NEXT, errors);
  const paymentStatus = move('paymentStatus', current.paymentStatus, paying ? 'paid' : patch.paymentStatus, PAYMENT_NEXT, errors);
  const acceleratorStatus = move('acceleratorStatus', current.acceleratorStatus, patch.acceleratorStatus, ACCELERATOR_NEXT, errors);

  let payee = current.payee;
  if (patch.payee !== undefined) {
    if (current.status === 'paid' || current.status === 'withdrawn')
      errors.push({ field: 'payee', message: `the payee cannot change once the award is ${current.status}` });
    else {
      errors.push(...payeeErrors(patch.payee, team));
      payee = patch.payee;
    }
  }
  if ((status === 'accepted' || status === 'paid') && !payee) errors.push({ field: 'payee', message: 'a payee is needed before the award is accepted or paid' });
  if (status === 'withdrawn' && paymentStatus === 'paid') errors.push({ field: 'status', message: 'a paid award cannot be withdrawn' });
  return { state: { status, acceleratorStatus, paymentStatus, payee }, errors };
}

export function payeeErrors(payee: Payee | null, team: TeamFacts): FieldError[] {
  if (payee === null) return [];
  const hasAdult = team.members.some((m) => m.adult);
  switch (payee.kind) {
    case 'member': {
      const member = team.members.find((m) => m.userId === payee.userId);
      if (!member) return [{ field: 'payee.userId', message: 'the payee must be a member of the winning team' }];
      if (!member.adult) return [{ field: 'payee.userId', message: 'a member under 18 cannot be the payee' }];
      return [];
    }
    case 'parent_guardian':
      return hasAdult ? [{ field: 'payee.kind', message: 'a team with an adult member is paid through that member' }] : [];
    case 'school':
      if (hasAdult) return [{ field: 'payee.kind', message: 'a team with an adult member is paid through that member' }];
      return team.schoolIds.includes(payee.schoolId) ? [] : [{ field: 'payee.schoolId', message: "the school must be one of the team members' schools" }];
    default:
      return [{ field: 'payee.kind', message: 'payee.kind must be member, parent_guardian or school' }];
  }
}
