import type { FieldError } from '@app/platform';
import type { RubricCriterion } from '../tally/rubric.js';
import { contactDetails, type ContactKind } from './contact-details.js';

export const FEEDBACK_MIN = 20;
export const FEEDBACK_MAX = 2000;

const CONTACT_WORDS: Record<ContactKind, string> = { url: 'a web address', email: 'an email address', phone: 'a phone number' };

/**
 * Checks a score against the round's rubric (SPEC §2.4): an integer within range for every criterion,
 * no other keys, and feedback of 20–2000 characters without contact details. Returns the values in
 * rubric order, or every problem found.
 */
export function checkScore(
  scores: Readonly<Record<string, unknown>>,
  feedback: string,
  criteria: readonly RubricCriterion[],
): { values: number[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values: number[] = [];
  for (const c of criteria) {
    const value = scores[c.key];
    const field = `scores.${c.key}`;
    if (value === undefined || value === null) errors.push({ field, message: `${c.label} needs a score` });
    else if (typeof value !== 'number' || !Number.isInteger(value)) errors.push({ field, message: `${c.label} must be a whole number` });
    else if (value < c.min || value > c.max) errors.push({ field, message: `${c.label} must be from ${c.min} to ${c.max}` });
    else values.push(value);
  }
  const known = new Set(criteria.map((c) => c.key));
  for (const key of Object.keys(scores)) if (!known.has(key)) errors.push({ field: `scores.${key}`, message: `${key} is not a criterion of this round` });

  const length = [...feedback.trim()].length;
  if (length < FEEDBACK_MIN || length > FEEDBACK_MAX)
    errors.push({ field: 'feedback', message: `feedback must be ${FEEDBACK_MIN} to ${FEEDBACK_MAX} characters long` });
  const contacts = contactDetails(feedback);
  if (contacts.length)
    errors.push({
      field: 'feedback',
      message: `feedback must not contain contact details: remove ${contacts.map((k) => CONTACT_WORDS[k]).join(', ')}`,
    });
  return { values: errors.length ? [] : values, errors };
}
