import { describe, expect, it } from '@jest/globals';
import { awardPayload } from './award-built-in-badge.processor.js';

const user = '3f1c2a9e-7b4d-4e51-9c3a-2d8f6b1e0a47';
const competitionId = '7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a';

describe('the award-built-in-badge payload', () => {
  it('accepts the registry shape', () => {
    const data = { badge: 'idea-maker', userIds: [user], source: { competitionId, ideaId: user } };
    expect(awardPayload(data)).toEqual(data);
  });

  it('refuses unknown badges, malformed user ids and sources without a competition', () => {
    for (const data of [
      null,
      { badge: 'pitch-perfect', userIds: [user], source: { competitionId } },
      { badge: 'judge', userIds: ['not-a-uuid'], source: { competitionId } },
      { badge: 'judge', userIds: user, source: { competitionId } },
      { badge: 'judge', userIds: [user], source: {} },
      { badge: 'judge', userIds: [user], source: { competitionId, roundId: 42 } },
    ])
      expect(awardPayload(data)).toBeNull();
  });
});
