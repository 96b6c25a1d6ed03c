/**
 * Contact details in judges' feedback (SPEC §2.1, §2.4): feedback reaches young people, so a score
 * whose feedback contains a URL, an email address or a phone number is refused when it is saved — no
 * adult gets a channel to a child through a comment. This guards against the honest mistake and the
 * casual attempt ("drop me a line at …"); it cannot stop every determined obfuscation, and organisers
 * may still withhold any piece of feedback before it is released.
 *
 * Tuned against false positives that feedback on digital ideas invites: "Node.js", "ASP.NET", "e.g.",
 * "£15,000", "scored 7/10", "in 2019–2021" pass; "example.com", "MySite.COM", "www.site", "https://…",
 * "ana@example.org", "ana [at] example [dot] com", "07700 900123", "+44 20 7946 0958" do not.
 */

export type ContactKind = 'url' | 'email' | 'phone';

// Top-level domains a bare web address is recognised by, in any case ("MySite.COM" is an address too).
const TLD = '(?:com|org|net|uk|io|co|app|dev|ly|me|info|biz|gov|edu|xyz|site|online|tech|ai|gg|tv|link|page|store|shop|blog|website|eu|us|ie|de|fr|es|it|nl|ca|au|in|to|sh|so|fm|be|ch)';
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
// Technologies whose names look like addresses, taken out before looking for one.
const TECHNOLOGY_NAMES = /(?<![\w.])(?:asp|vb|ado|entity)\.net(?![\w.])|(?<![\w.])socket\.io(?![\w.])/gi;

const URL_PATTERNS = [
  /\b(?:https?|ftp):\/\/\S+/i,
  /\bwww\s*\.\s*[a-z0-9-]+/i,
  new RegExp(`(?<![\\w@.])${LABEL}(?:\\.${LABEL})*\\.${TLD}(?![\\w-])(?:/\\S*)?`, 'i'),
];

const BRACKET_AT = '[\\[({]\\s*at\\s*[\\])}]';
const BRACKET_DOT = '[\\[({]\\s*dot\\s*[\\])}]';
const obfuscated = (at: string, dot: string) =>
  new RegExp(`[a-z0-9._%+-]+\\s*${at}\\s*[a-z0-9-]+(?:\\s*${dot}\\s*[a-z0-9-]+)*\\s*${dot}\\s*${TLD}\\b`, 'i');

const EMAIL_PATTERNS = [
  /[a-z0-9._%+-]+\s*@\s*[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)+/i,
  // "name [at] example [dot] com", "name (at) example.com"
  obfuscated(BRACKET_AT, `(?:${BRACKET_DOT}|\\s+dot\\s+|\\.)`),
  // "name at example dot com" (spelled out all the way: "look at example.com" is a web address, not an email)
  obfuscated('\\s+at\\s+', `(?:${BRACKET_DOT}|\\s+dot\\s+)`),
];

// A run of digits with single separators between them (spaces, dashes, dots, brackets).
const DIGIT_RUN = /[+(]?\d(?:[ \-.()]{0,2}\d)+/g;

function hasPhoneNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/\D/g, '').length;
    // UK numbers are dialled with a leading 0 (10–11 digits) or +44; international ones start with +.
    const start = run.replace(/^\(/, '');
    if (digits >= 10 && digits <= 15 && (start.startsWith('+') || start.startsWith('0'))) return true;
  }
  return false;
}

/** The kinds of contact detail found in `text` (empty when there are none). */
export function contactDetails(text: string): ContactKind[] {
  const found: ContactKind[] = [];
  const hasEmail = EMAIL_PATTERNS.some((p) => p.test(text));
  // An email address contains a domain: report it as an email, not also as a web address.
  const withoutEmails = hasEmail ? text.replace(new RegExp(EMAIL_PATTERNS[0].source, 'gi'), ' ') : text;
  if (URL_PATTERNS.some((p) => p.test(withoutEmails.replace(TECHNOLOGY_NAMES, ' ')))) found.push('url');
  if (hasEmail) found.push('email');
  if (hasPhoneNumber(text)) found.push('phone');
  return found;
}
