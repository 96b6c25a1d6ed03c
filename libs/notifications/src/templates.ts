/** Email and inbox texts. Every value interpolated into HTML is escaped. */
export interface Rendered {
  subject: string;
  text: string;
  html: string;
  /** The in-app inbox line (never carries a token). */
  inbox: { title: string; body: string };
}

export interface RenderContext {
  publicBaseUrl: string;
  /** The single-use token of the email's link, when the template has one. */
  token?: string;
}

type Template = (data: Record<string, unknown>, ctx: RenderContext) => Rendered;

export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function linkTo(ctx: RenderContext, page: string): string {
  // Without a token (inbox rendering) the link is never shown, so the bare page will do.
  return ctx.token ? `${ctx.publicBaseUrl}/${page}?token=${encodeURIComponent(ctx.token)}` : `${ctx.publicBaseUrl}/${page}`;
}

/** Wraps paragraphs and an optional button into the plain-text and HTML bodies. */
function compose(subject: string, paragraphs: string[], action?: { label: string; url: string }): Rendered {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), '— Young Ideas'].join('\n\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b;max-width:40rem;margin:auto;padding:1rem">
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:.6rem 1rem;background:#3b2bd6;color:#fff;border-radius:.4rem;text-decoration:none">${escapeHtml(action.label)}</a></p><p style="font-size:.85rem;color:#555">Or paste this address into your browser: ${escapeHtml(action.url)}</p>` : ''}
<p>— Young Ideas</p></body></html>`;
  return { subject, text, html, inbox: { title: subject, body: paragraphs[0] ?? '' } };
}

export const TEMPLATES = {
  'verify-email': (d, ctx) =>
    compose(
      'Confirm your email address',
      [`Hello ${d.firstName}, please confirm this email address for your Young Ideas account.`, 'The link works once and expires in 48 hours. If you did not sign up, ignore this email.'],
      { label: 'Confirm my email', url: linkTo(ctx, 'verify-email') },
    ),
  'password-reset': (d, ctx) =>
    compose(
      'Reset your Young Ideas password',
      [
        d.forChild
          ? `Someone asked to reset the password of the Young Ideas account of ${d.firstName}, which is linked to this address.`
          : `Hello ${d.firstName}, someone asked to reset the password of your Young Ideas account.`,
        'The link works once and expires in 1 hour. If this was not you, ignore this email: nothing has changed.',
      ],
      { label: 'Choose a new password', url: linkTo(ctx, 'reset-password') },
    ),
  'password-changed': (d) =>
    compose('Your password was changed', [
      `Hello ${d.firstName}, the password of your Young Ideas account was just changed and other devices were signed out.`,
      'If this was not you, use "Forgot password" at once to take your account back.',
    ]),
  'team-invitation': (d) =>
    compose(`${d.inviter} invited you to their team`, [
      `Hello ${d.firstName}, ${d.inviter} invited you to join the team of "${d.ideaTitle}" in ${d.competitionTitle}.`,
      'Sign in to Young Ideas and open your invitations to accept or decline.',
    ]),
  'idea-submitted': (d) =>
    compose(`Received: "${d.ideaTitle}"`, [
      `Hello ${d.firstName}, your team's idea "${d.ideaTitle}" was submitted to ${d.competitionTitle} (version ${d.version}).`,
      'You can still improve it and submit again until the competition closes; the judges see the last version submitted before the deadline.',
    ]),
  'idea-hidden': (d) =>
    compose(`"${d.ideaTitle}" has been hidden`, [
      `Hello ${d.firstName}, the organisers have hidden your team's idea "${d.ideaTitle}" while they look into it. Reason: ${d.reason}`,
      'A hidden idea is not judged and does not appear in public lists. Reply to this email if you think this is a mistake.',
    ]),
  'idea-unhidden': (d) =>
    compose(`"${d.ideaTitle}" is visible again`, [`Hello ${d.firstName}, the organisers have restored your team's idea "${d.ideaTitle}".`]),
  // To a parent or guardian: the child is named by display name only, never by surname.
  'consent-request': (d, ctx) =>
    compose(
      `${d.childName} would like to take part in Young Ideas`,
      [
        `${d.childName} has a Young Ideas account and is under 13, so they need your consent before they can submit an idea, join a team or appear in any public list.`,
        'Young Ideas is a national competition for young people\'s digital ideas: the three best ideas win funding, and entrants earn skill badges. The page behind the button explains what we hold about your child and why, and lets you grant or refuse consent.',
        'The link works once and expires in 7 days. If you do not know this child, ignore this email.',
      ],
      { label: 'Review and decide', url: linkTo(ctx, 'consent') },
    ),
  'consent-recorded': (d) =>
    compose(d.granted ? 'You gave consent for Young Ideas' : 'You refused consent for Young Ideas', [
      d.granted
        ? `Thank you: ${d.childName} can now take part fully in Young Ideas.`
        : `${d.childName} will not be able to submit ideas, join a team or appear in any public list.`,
      d.granted
        ? 'If you did not make this decision, or you change your mind, tell your child’s school or the Young Ideas organisers.'
        : 'If you change your mind, your child can send you a new link from their account.',
    ]),
  'consent-outcome': (d) =>
    compose(d.granted ? 'You are all set to take part' : 'Your parent or guardian said no', [
      d.granted
        ? `Hello ${d.firstName}, your parent, guardian or school has given consent: you can now submit ideas and join a team.`
        : `Hello ${d.firstName}, your parent or guardian did not give consent, so you cannot submit ideas or join a team for now. You can still write drafts.`,
    ]),
  'school-verified': (d) =>
    compose(`${d.schoolName} is verified on Young Ideas`, [
      `Hello ${d.firstName}, we have verified ${d.schoolName} and your place as one of its teachers.`,
      'You can now create classes, import class rosters and approve colleagues who join your school.',
    ]),
  'teacher-approved': (d) =>
    compose(`You are approved as a teacher at ${d.schoolName}`, [
      `Hello ${d.firstName}, a colleague has approved you as a teacher at ${d.schoolName} on Young Ideas.`,
      'You can now create classes, import class rosters and attest consent for your pupils.',
    ]),
  'badge-awarded': (d) =>
    compose(`You earned the ${d.badgeName} badge`, [
      `Hello ${d.firstName}, you have been awarded the ${d.badgeName} badge (${d.points} points). You now have ${d.totalPoints} points.`,
      'Your badges are in your Young Ideas account, where you can share them as Open Badges.',
    ]),
  'level-reached': (d) =>
    compose(`You reached ${String(d.level).replace(/^./, (c) => c.toUpperCase())}`, [
      `Congratulations ${d.firstName}: with ${d.points} points from your badges you have reached the ${String(d.level).replace(/^./, (c) => c.toUpperCase())} award.`,
      d.level === 'gold' ? 'Gold is the highest award: well done.' : 'Keep earning badges to reach the next level.',
    ]),
  'retention-warning': (d) =>
    compose(`Your Young Ideas account will be deleted in ${d.days} days`, [
      d.forChild
        ? `The Young Ideas account of ${d.firstName}, linked to this address, has not been used for almost three years.`
        : `Hello ${d.firstName}, your Young Ideas account has not been used for almost three years.`,
      `To protect personal data, accounts left unused for three years are anonymised. If nobody signs in within ${d.days} days, the account's personal details will be wiped for good (the competition records keep only "Former entrant"). Signing in once keeps the account.`,
    ]),
  'judge-invitation': (d, ctx) =>
    compose(
      'You are invited to judge Young Ideas',
      [
        `Hello ${d.firstName}, the Young Ideas organisers invite you to be a volunteer judge: you will score young people's digital ideas blind, with written feedback that helps them grow.`,
        d.hasAccount
          ? 'This address already has a Young Ideas account: accepting adds judging to it.'
          : 'Accepting creates your judge account: you choose its password on the page behind the button.',
        'The link works once and expires in 14 days. If you were not expecting this, ignore this email.',
      ],
      { label: 'Accept the invitation', url: linkTo(ctx, 'judge-invitation') },
    ),
  'assignments-ready': (d) =>
    compose(d.reassigned ? `An entry was added to your queue: ${d.roundName}` : `Entries are ready for you to judge: ${d.roundName}`, [
      d.reassigned
        ? `Hello ${d.firstName}, another judge stepped aside from an entry of ${d.roundName}, and it is now in your queue.`
        : `Hello ${d.firstName}, ${d.count} ${Number(d.count) === 1 ? 'entry is' : 'entries are'} waiting for your scores in ${d.roundName}${d.competitionTitle ? ` of ${d.competitionTitle}` : ''}.`,
      'Sign in to Young Ideas and open your judging queue. If you know the people behind an entry, declare a conflict on it and it will go to another judge.',
    ]),
  'scoring-reminder': (d) =>
    compose(`A reminder: ${d.open} ${Number(d.open) === 1 ? 'entry is' : 'entries are'} still waiting for you`, [
      `Hello ${d.firstName}, you still have ${d.open} ${Number(d.open) === 1 ? 'entry' : 'entries'} to score in ${d.roundName}.`,
      'Sign in to Young Ideas and open your judging queue. Thank you for the time you give young people.',
    ]),
  'results-winner': (d, ctx) =>
    compose(`Congratulations: your idea has won ${d.competitionTitle}`, [
      `Hello ${d.firstName}, your team's idea is one of the winners of ${d.competitionTitle}: it wins £${(Number(d.amountPence) / 100).toLocaleString('en-GB')} of funding and a place on the accelerator.`,
      'The organisers will be in touch about accepting the award. The judges’ feedback on your idea is ready for you to read.',
      `Your feedback: ${ctx.publicBaseUrl}/api/v1/ideas/${d.ideaId}/feedback`,
    ]),
  'results-finalist': (d, ctx) =>
    compose(`Your idea was a finalist in ${d.competitionTitle}`, [
      `Hello ${d.firstName}, your team's idea reached the final of ${d.competitionTitle}. It did not win this time, but reaching the final is an achievement to be proud of.`,
      'The judges’ feedback on your idea is ready for you to read.',
      `Your feedback: ${ctx.publicBaseUrl}/api/v1/ideas/${d.ideaId}/feedback`,
    ]),
  'results-entrant': (d, ctx) =>
    compose(`The results of ${d.competitionTitle} are out`, [
      d.shortlisted
        ? `Hello ${d.firstName}, thank you for entering ${d.competitionTitle}: your team's idea made the shortlist.`
        : `Hello ${d.firstName}, thank you for entering ${d.competitionTitle}. Your idea was not among the winners this time.`,
      'Every idea was read and scored by volunteer judges, and their feedback on yours is ready for you to read.',
      `Your feedback: ${ctx.publicBaseUrl}/api/v1/ideas/${d.ideaId}/feedback`,
    ]),
  'judges-thanked': (d) =>
    compose(`Thank you for judging ${d.competitionTitle}`, [
      `Hello ${d.firstName}, the results of ${d.competitionTitle} are published. Thank you for the entries you read and the feedback you wrote: it now reaches the young people behind them.`,
    ]),
} satisfies Record<string, Template>;

export type TemplateName = keyof typeof TEMPLATES;

/**
 * Emails someone is waiting for, most with a link that expires: they are delivered ahead of bulk mail
 * (results, reminders, badges), so a reset asked for during a national results fan-out still arrives at once.
 */
export const TRANSACTIONAL_TEMPLATES: ReadonlySet<TemplateName> = new Set<TemplateName>([
  'verify-email',
  'password-reset',
  'password-changed',
  'team-invitation',
  'consent-request',
  'consent-recorded',
  'consent-outcome',
  'school-verified',
  'teacher-approved',
  'judge-invitation',
]);

export function render(template: string, data: Record<string, unknown>, ctx: RenderContext): Rendered {
  const fn = (TEMPLATES as Record<string, Template>)[template];
  if (!fn) throw new Error(`unknown template ${template}`);
  return fn(data, ctx);
}
