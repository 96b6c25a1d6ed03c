import { describe, expect, it } from '@jest/globals';
import { publicTextErrors } from './public-text.js';

const who = { lastName: 'Lovelace-Byron', username: 'ada.l42' };
const fields = (text: string) => publicTextErrors(text, 'evidence.narrative', who).map((e) => e.message);

describe('text published in badge documents', () => {
  it('passes ordinary narratives, first names included', () => {
    expect(fields('Ada pitched a recycling app to the class in two minutes.')).toEqual([]);
    expect(fields('Built a website for the Byronic poetry club.')).toEqual([]); // "Byron" only as part of a longer word
  });

  it("refuses the recipient's surname, whole or any part of a double-barrelled one, in any case", () => {
    for (const text of ['Ada Lovelace-Byron did well', 'well done ada lovelace', 'BYRON was brilliant'])
      expect(fields(text)).toEqual([expect.stringMatching(/surname/)]);
  });

  it('refuses email addresses, UK postcodes and the username', () => {
    expect(fields('Write to ada@example.org')).toEqual([expect.stringMatching(/email/)]);
    expect(fields('At the hall, SW1A 1AA')).toEqual([expect.stringMatching(/postcode/)]);
    expect(fields('At the hall, m11ae')).toEqual([expect.stringMatching(/postcode/)]);
    expect(fields('Account ada.l42 did it')).toEqual([expect.stringMatching(/username/)]);
  });

  it('names the field in every message', () => {
    expect(publicTextErrors('ada@example.org', 'reason', who)).toEqual([{ field: 'reason', message: 'reason is published: it must not contain an email address' }]);
  });
});
