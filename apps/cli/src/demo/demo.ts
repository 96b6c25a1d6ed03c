import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { AccountsService } from '@app/identity';
import { AppConfig, AppLogger } from '@app/platform';
import { createApiApp } from '../../../api/src/app.factory.js';
import { WorkerModule } from '../../../worker/src/worker.module.js';
import { ApiClient } from './http-client.js';
import { Mailbox } from './mailbox.js';
import { Prng } from '@app/judging';

const PASSWORD = 'demo-lantern-harbour-7';
const CRITERIA = ['innovation', 'impact', 'feasibility', 'digital', 'presentation'];
const say = (line: string) => console.log(`• ${line}`);

const yearsAgo = (years: number, days = 40) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - days)).toISOString().slice(0, 10);
};

interface Person {
  id: string;
  token: string;
  name: string;
}

/**
 * `npm run demo`: a realistic competition driven end to end through the real API and worker, on a
 * database of its own (<DATABASE_URL>_demo, recreated each run): a school enrols a class (roster
 * import, parental consent), entrants register and verify their email, teams form and submit, judges
 * are invited, two rounds are assigned, scored, tallied and confirmed, results are published with
 * funding awards, badges and open data. Emails are read from the .eml files the app writes.
 */
export async function runDemo(base: AppConfig, { serve }: { serve: boolean }): Promise<void> {
  const url = new URL(base.db.url);
  url.pathname = `${url.pathname}_demo`;
  const mailDir = 'var/demo-mail';
  await rm(mailDir, { recursive: true, force: true });
  const config = AppConfig.load({
    DATABASE_URL: url.toString(),
    REDIS_URL: base.redis.url,
    REDIS_PREFIX: `${base.redis.prefix}_demo`,
    MAIL_DIR: mailDir,
    LOG_LEVEL: 'warn',
    PORT: String(base.http.port),
    PUBLIC_BASE_URL: serve ? base.http.publicBaseUrl : 'http://localhost',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
  });
  await resetDatabase(config.db.url);

  const app: NestExpressApplication = await createApiApp(config);
  await app.listen(serve ? config.http.port : 0, '127.0.0.1');
  const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  worker.useLogger(worker.get(AppLogger));
  await worker.init();
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const api = new ApiClient(`http://127.0.0.1:${port}/api/v1`);
  const mail = new Mailbox(mailDir);
  const rng = new Prng('young-ideas-demo');
  console.log(`Young Ideas demo — API on http://127.0.0.1:${port}, database ${url.pathname.slice(1)}\n`);

  try {
    const signIn = async (login: string, password = PASSWORD) => (await api.post('/auth/login', { login, password })).accessToken as string;

    // Organisers come from the CLI.
    await app.get(AccountsService).createOrganiser({ email: 'organiser@young-ideas.demo', password: PASSWORD, firstName: 'Sam', lastName: 'Okafor' }, null);
    const org = await signIn('organiser@young-ideas.demo');
    say('Organiser Sam Okafor created with the CLI and signed in');

    // A school and its teacher, verified by the organiser.
    await api.post('/auth/register', { accountType: 'teacher', email: 'grace.hopper@hillside.demo', password: PASSWORD, firstName: 'Grace', lastName: 'Hopper', dateOfBirth: yearsAgo(38), region: 'north-west' });
    await api.call('POST', '/auth/verify-email', { body: { token: await mail.token('grace.hopper@hillside.demo', /confirm/i, 'verify-email') }, expect: 204 });
    const teacher = await signIn('grace.hopper@hillside.demo');
    const school = await api.post('/schools', { urn: '104512', name: 'Hillside Academy', postcode: 'M1 4BT' }, teacher);
    const teacherId = (await api.get('/me', teacher)).id as string;
    await api.post(`/schools/${school.id}/verify`, { teacherIds: [teacherId], evidence: 'Checked against the DfE register and a phone call to the school office' }, org);
    const klass = await api.post('/classes', { schoolId: school.id, name: 'Year 8 Computing', yearGroup: 'Year 8' }, teacher);
    say(`School Hillside Academy verified; class "${klass.name}" created (join code ${klass.joinCode})`);

    // A whole class enrolled from a CSV; the under-13s' parents give consent through emailed links.
    const csv = [
      'firstName,lastName,dateOfBirth,parentEmail',
      `Aisha,Rahman,${yearsAgo(12)},parent.rahman@example.demo`,
      `Oliver,Nowak,${yearsAgo(12)},parent.nowak@example.demo`,
      `Zoë,"O'Brien",${yearsAgo(13)},`,
      `Kwame,Mensah,${yearsAgo(13)},`,
    ].join('\r\n');
    const roster = await api.call('POST', `/classes/${klass.id}/roster`, { csv, token: teacher, expect: 201 });
    const pupils: Person[] = [];
    for (const created of roster.created as { id: string; username: string; displayName: string; initialPassword: string }[]) {
      const first = await signIn(created.username, created.initialPassword);
      await api.call('POST', '/auth/password/change', { body: { currentPassword: created.initialPassword, newPassword: PASSWORD }, token: first, expect: 204 });
      pupils.push({ id: created.id, token: await signIn(created.username), name: created.displayName });
    }
    for (const parent of ['parent.rahman@example.demo', 'parent.nowak@example.demo']) {
      const token = await mail.token(parent, /take part/i, 'consent');
      await api.call('POST', `/consent/${token}`, { body: { decision: 'grant', parentName: 'A Parent' }, expect: 204 });
    }
    say(`Roster of ${pupils.length} pupils imported; they chose their own passwords; 2 parents granted consent by email`);

    // Entrants who register themselves and confirm their email.
    const people = [
      ['Priya', 'Shah', 17, 'london'], ['Callum', 'Reid', 19, 'scotland'], ['Niamh', 'Byrne', 16, 'northern-ireland'],
      ['Yusuf', 'Ali', 21, 'west-midlands'], ['Sofia', 'Rossi', 15, 'south-east'], ['Dylan', 'Evans', 24, 'wales'],
      ['Mei', 'Chen', 18, 'east-of-england'], ['Tomasz', 'Wójcik', 20, 'yorkshire-humber'],
    ] as const;
    const entrants: Person[] = [];
    for (const [firstName, lastName, age, region] of people) {
      const email = `${firstName.toLowerCase()}.${lastName.toLowerCase().replace(/[^a-z]/g, '')}@example.demo`;
      const user = await api.post('/auth/register', { accountType: 'entrant', email, password: PASSWORD, firstName, lastName, dateOfBirth: yearsAgo(age), region });
      await api.call('POST', '/auth/verify-email', { body: { token: await mail.token(email, /confirm/i, 'verify-email') }, expect: 204 });
      entrants.push({ id: user.id, token: await signIn(email), name: user.displayName });
    }
    say(`${entrants.length} entrants registered and verified their email addresses`);

    // The competition.
    const now = Date.now();
    const comp = await api.post('/competitions', {
      title: 'Young Ideas 2027: Digital for Good', slug: 'young-ideas-2027', minAge: 11, maxAge: 25,
      description: 'Digital business ideas that make life better for people and the planet.',
      opensAt: new Date(now - 3600_000).toISOString(), closesAt: new Date(now + 7 * 86_400_000).toISOString(),
      categories: ['health', 'environment', 'education', 'community'],
    }, org);
    await api.post(`/competitions/${comp.id}/publish`, undefined, org);
    say(`Competition "${comp.title}" published and open`);

    // Ideas: solo entries and teams (classmates together).
    const TITLES: [string, string][] = [
      ['Bus Buddy', 'education'], ['Litter Lens', 'environment'], ['Meds Minder', 'health'], ['Street Swap', 'community'],
      ['Quiet Corner', 'health'], ['Solar Scouts', 'environment'], ['Homework Hub', 'education'], ['Repair Ready', 'community'],
      ['Pollen Path', 'health'], ['Tide Tracker', 'environment'],
    ];
    const owners = [...entrants, pupils[0], pupils[2]];
    const ideas: { id: string; title: string; quality: number }[] = [];
    for (let i = 0; i < TITLES.length; i++) {
      const [title, category] = TITLES[i];
      const owner = owners[i];
      const idea = await api.post(`/competitions/${comp.id}/ideas`, {
        title, category,
        summary: `${title}: a simple app that helps young people, built with their school and community.`,
        problem: 'Young people told us this gets in the way every week.',
        solution: 'A small, friendly mobile app with privacy built in.',
        audience: 'Pupils aged 11 to 18, their schools and families.',
        links: [`https://example.org/${title.toLowerCase().replace(/ /g, '-')}`],
      }, owner.token);
      ideas.push({ id: idea.id, title, quality: 3 + rng.nextFloat() * 7 });
    }
    // Two classmates join Aisha's team; Priya and Niamh (both under 18) team up.
    const pupilIdea = ideas[8];
    for (const mate of [pupils[1], pupils[3]]) {
      const username = (await api.get('/me', mate.token)).username;
      await api.call('POST', `/ideas/${pupilIdea.id}/members`, { body: { username }, token: pupils[0].token, expect: 201 });
      await api.post(`/ideas/${pupilIdea.id}/members/accept`, undefined, mate.token);
    }
    await api.call('POST', `/ideas/${ideas[0].id}/members`, { body: { username: (await api.get('/me', entrants[2].token)).username }, token: entrants[0].token, expect: 201 });
    await api.post(`/ideas/${ideas[0].id}/members/accept`, undefined, entrants[2].token);
    for (let i = 0; i < ideas.length; i++) {
      if (i === 2) continue; // Niamh is in Priya's team now: one submitted idea each
      await api.post(`/ideas/${ideas[i].id}/submit`, undefined, owners[i].token);
    }
    const submitted = ideas.filter((_, i) => i !== 2);
    say(`${submitted.length} ideas submitted (2 teams); receipts emailed to every member`);

    // Judges: three volunteers and the teacher (conflicted with her own pupils' idea).
    const judges: Person[] = [];
    for (const [firstName, lastName] of [['Ada', 'Lovelace'], ['Alan', 'Turing'], ['Katherine', 'Johnson']]) {
      const email = `${firstName.toLowerCase()}@judges.demo`;
      await api.call('POST', '/judges/invitations', { body: { email, firstName, lastName }, token: org, expect: 201 });
      await api.call('POST', `/judges/invitations/${encodeURIComponent(await mail.token(email, /judge/i, 'judge-invitation'))}/accept`, { body: { password: PASSWORD }, expect: 204 });
      judges.push({ id: '', token: await signIn(email), name: `${firstName} ${lastName[0]}.` });
    }
    await api.call('POST', '/judges/invitations', { body: { email: 'grace.hopper@hillside.demo', firstName: 'Grace', lastName: 'Hopper' }, token: org, expect: 201 });
    await api.call('POST', `/judges/invitations/${encodeURIComponent(await mail.token('grace.hopper@hillside.demo', /judge/i, 'judge-invitation'))}/accept`, { body: {}, expect: 204 });
    judges.push({ id: teacherId, token: await signIn('grace.hopper@hillside.demo'), name: 'Grace H.' });
    say(`${judges.length} judges accepted their invitations (the teacher is automatically conflicted with her pupils)`);

    await api.post(`/competitions/${comp.id}/close`, undefined, org);
    say('The organiser closed the competition: entries are frozen');

    const waitJob = async (jobId: string) => {
      for (;;) {
        const job = await api.get(`/jobs/${jobId}`, org);
        if (job.state === 'completed') return job;
        if (job.state === 'failed') throw new Error(`job ${jobId} failed: ${job.failedReason}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const quality = new Map(submitted.map((i) => [i.title, i.quality]));
    const runRound = async (body: Record<string, unknown>) => {
      const round = await api.post(`/competitions/${comp.id}/rounds`, body, org);
      await waitJob((await api.post(`/rounds/${round.id}/assign`, undefined, org)).jobId);
      let scored = 0;
      for (const judge of judges) {
        const severity = (rng.nextFloat() - 0.5) * 3;
        for (const a of (await api.get(`/judge/assignments?roundId=${round.id}&limit=100`, judge.token)).items) {
          if (a.status === 'conflicted') continue;
          const q = quality.get(a.idea.title)!;
          const scores = Object.fromEntries(CRITERIA.map((c) => [c, Math.max(1, Math.min(10, Math.round(q + severity + (rng.nextFloat() - 0.5) * 2)))]));
          await api.put(`/judge/assignments/${a.id}/score`, { scores, feedback: `Thoughtful work on ${a.idea.title}. Next, test it with ten real users and measure what changes.` }, judge.token);
          scored++;
        }
      }
      await waitJob((await api.post(`/rounds/${round.id}/close`, undefined, org)).jobId);
      const results = await api.get(`/rounds/${round.id}/results`, org);
      const stats = (await api.get(`/rounds/${round.id}`, org)).stats;
      say(`${round.name}: ${stats.ideas} ideas, ${stats.assignments} assignments (loads ${stats.loadMin}–${stats.loadMax}), ${scored} scores, tallied`);
      for (const r of results.items.slice(0, 6))
        console.log(`    ${String(r.rank).padStart(2)}. ${r.alias}  adjusted ${r.adjustedScore.toFixed(2)}  raw ${r.rawMean.toFixed(2)}  judges ${r.judgeCount}  ${r.outcome ?? ''} ${r.flags.join(' ')}`);
      console.log(`    judge severities: ${results.judges.map((j: { severity: number }) => j.severity.toFixed(1)).join(', ')}`);
      return round;
    };
    await runRound({ kind: 'screening', name: 'Screening', judgesPerIdea: 3, shortlistSize: 5 });
    const final = await runRound({ kind: 'final', name: 'Final' });
    await api.post(`/rounds/${final.id}/confirm`, {}, org);
    await waitJob((await api.post(`/competitions/${comp.id}/results/publish`, undefined, org)).jobId);
    say('Final confirmed and results published: funding awards made, feedback released, everyone told');

    const publicResults = await api.get(`/public/competitions/${comp.id}/results`);
    for (const w of publicResults.winners) say(`Winner: "${w.title}" by ${w.displayNames.join(', ')} — £${(w.awardPence / 100).toLocaleString('en-GB')}`);
    say(`Finalists: ${publicResults.finalists.map((f: { title: string }) => f.title).join(', ')}`);
    const awards = await api.get('/awards', org);
    say(`${awards.items.length} funding awards, payment pending until each team accepts`);
    const badges = await api.get('/me/badges', entrants[0].token);
    say(`${entrants[0].name} holds ${badges.items.length} badges (${badges.points} points, level ${badges.level ?? 'none yet'}): ${badges.items.map((b: { badge: { name: string } }) => b.badge.name).join(', ')}`);
    if (badges.items[0]?.openBadges?.credentialUrl) say(`An Open Badges 3.0 credential anyone can verify: ${badges.items[0].openBadges.credentialUrl}`);
    const grants = await api.get('/open-data/grants.json');
    say(`Open data: ${grants.grants.length} grants in the 360Giving package at /api/v1/open-data/grants.json`);
    console.log(`\nThe demo data stays in ${url.pathname.slice(1)}; emails are in ${mailDir}/.`);
    if (serve) {
      console.log(`Serving at http://127.0.0.1:${port} (OpenAPI at /api/docs). Sign in as organiser@young-ideas.demo / ${PASSWORD}. Ctrl-C to stop.`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await worker.close();
    await app.close();
  }
}

async function resetDatabase(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const { migrate } = await import('../data-source.js');
  await migrate(url);
}
