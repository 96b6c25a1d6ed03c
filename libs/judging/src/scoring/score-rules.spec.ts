import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RUBRIC } from '../tally/rubric.js';
import { contactDetails } from './contact-details.js';
import { checkScore } from './score-rules.js';

describe('contactDetails', () => {
  it.each([
    ['See https://example.org/app for ideas', ['url']],
    ['try www.example.co.uk', ['url']],
    ['look at coolstartup.io or bit.ly/abc', ['url']],
    ['Visit MyMentorSite.com to chat with me', ['url']],
    ['Look at Coolstartup.io', ['url']],
    ['Check EXAMPLE.COM', ['url']],
    ['asp.net.example.COM/chat is mine', ['url']],
    ['write to ana.k@example.org', ['email']],
    ['ana [at] example [dot] com', ['email']],
    ['ana at example dot com', ['email']],
    ['call 07700 900123', ['phone']],
    ['ring +44 20 7946 0958 please', ['phone']],
    ['(020) 7946-0958', ['phone']],
    ['07700900123', ['phone']],
  ])('finds contact details in %p', (text, kinds) => {
    expect(contactDetails(text)).toEqual(kinds);
  });

  it.each([
    'Built with Node.js and ASP.NET, e.g. a web app; i.e. it works.',
    'Real-time chat with Socket.IO and an Entity.NET back end, or asp.net core.',
    'It could win £15,000 and reach 1,000,000 users by 2027.',
    'I scored it 7/10 for impact and 8 out of 10 overall.',
    'Between 2019-2021 the market grew by 12.5 percent.',
    'Look at this point carefully: the audience is pupils at school.',
    'Think about the app store reviews before launch.',
  ])('leaves ordinary feedback alone: %p', (text) => {
    expect(contactDetails(text)).toEqual([]);
  });
});

describe('checkScore', () => {
  const all = (v: number) => Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, v]));
  const feedback = 'A clear idea with a real audience; test it with users next.';

  it('returns the values in rubric order for a valid score', () => {
    expect(checkScore({ ...all(5), impact: 9 }, feedback, DEFAULT_RUBRIC)).toEqual({ values: [5, 9, 5, 5, 5], errors: [] });
  });

  it('lists every problem: range, non-integers, missing and unknown criteria, feedback length and contacts', () => {
    const { values, errors } = checkScore({ innovation: 0, impact: 4.5, feasibility: '7', bonus: 3 }, 'short', DEFAULT_RUBRIC);
    expect(values).toEqual([]);
    expect(errors.map((e) => e.field)).toEqual([
      'scores.innovation',
      'scores.impact',
      'scores.feasibility',
      'scores.digital',
      'scores.presentation',
      'scores.bonus',
      'feedback',
    ]);
    const contact = checkScore(all(5), 'Lovely idea, email me at mentor@example.com for help.', DEFAULT_RUBRIC);
    expect(contact.errors).toEqual([{ field: 'feedback', message: 'feedback must not contain contact details: remove an email address' }]);
    expect(checkScore(all(5), 'x'.repeat(2001), DEFAULT_RUBRIC).errors[0].field).toBe('feedback');
    expect(checkScore(all(5), ' '.repeat(30) + 'ok', DEFAULT_RUBRIC).errors[0].field).toBe('feedback');
  });
});
