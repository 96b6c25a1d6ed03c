import { describe, expect, it } from '@jest/globals';
import { nextAwardState, type AwardState, type TeamFacts } from './award-rules.js';

const fresh: AwardState = { status: 'awarded', acceleratorStatus: 'offered', paymentStatus: 'pending', payee: null };
const adultTeam: TeamFacts = { members: [{ userId: 'a', adult: true }, { userId: 'k', adult: false }], schoolIds: ['s1'] };
const childTeam: TeamFacts = { members: [{ userId: 'k', adult: false }], schoolIds: ['s1'] };

describe('nextAwardState', () => {
  it('accepts with an adult member as payee, then pays (status and payment move together)', () => {
    const accepted = nextAwardState(fresh, { status: 'accepted', payee: { kind: 'member', userId: 'a' } }, adultTeam);
    expect(accepted.errors).toEqual([]);
    const paid = nextAwardState(accepted.state, { paymentStatus: 'paid' }, adultTeam);
    expect(paid).toEqual({ state: { ...accepted.state, status: 'paid', paymentStatus: 'paid' }, errors: [] });
  });

  it('needs a payee to accept, and refuses a minor, a non-member, or a parent/school when an adult is in the team', () => {
    expect(nextAwardState(fresh, { status: 'accepted' }, adultTeam).errors.map((e) => e.field)).toEqual(['payee']);
    expect(nextAwardState(fresh, { payee: { kind: 'member', userId: 'k' } }, adultTeam).errors[0].message).toMatch(/under 18/);
    expect(nextAwardState(fresh, { payee: { kind: 'member', userId: 'x' } }, adultTeam).errors[0].field).toBe('payee.userId');
    expect(nextAwardState(fresh, { payee: { kind: 'parent_guardian', name: 'P', email: 'p@example.com' } }, adultTeam).errors[0].field).toBe('payee.kind');
  });

  it('an all-under-18 team is paid through a parent/guardian or one of its schools', () => {
    expect(nextAwardState(fresh, { payee: { kind: 'parent_guardian', name: 'P', email: 'p@example.com' } }, childTeam).errors).toEqual([]);
    expect(nextAwardState(fresh, { payee: { kind: 'school', schoolId: 's1' } }, childTeam).errors).toEqual([]);
    expect(nextAwardState(fresh, { payee: { kind: 'school', schoolId: 's2' } }, childTeam).errors[0].field).toBe('payee.schoolId');
  });

  it('refuses impossible transitions and changes after payment', () => {
    // Paying needs acceptance first.
    expect(nextAwardState(fresh, { status: 'paid' }, adultTeam).errors.map((e) => e.field)).toEqual(['status']);
    const paid: AwardState = { status: 'paid', acceleratorStatus: 'accepted', paymentStatus: 'paid', payee: { kind: 'member', userId: 'a' } };
    expect(nextAwardState(paid, { status: 'withdrawn' }, adultTeam).errors[0].field).toBe('status');
    expect(nextAwardState(paid, { payee: null }, adultTeam).errors[0].field).toBe('payee');
    expect(nextAwardState(fresh, { acceleratorStatus: 'completed' }, adultTeam).errors[0].field).toBe('acceleratorStatus');
    expect(nextAwardState({ ...fresh, status: 'withdrawn' }, { status: 'accepted' }, adultTeam).errors[0].field).toBe('status');
  });
});
