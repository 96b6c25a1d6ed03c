// Roster import vs raw argon2id (issue "Schools, classes, roster import and parental consent"):
// `npm run bench -- roster-import [--rows 500] [--runs 5] [--without-parents]`.
//
// Boots the real API in-process as production does, on a throwaway database and Redis prefix, with a
// verified teacher, then
//  1. imports a roster of `rows` pupils over HTTP into a fresh class, `runs` times (median reported); every
//     pupil is an under-13 with a parent address, the heaviest case: an account, a one-time password, a
//     consent token, a notification and an outbox row each (`--without-parents`: no parent addresses);
//  2. baseline: `rows` argon2id hashes launched at once with the app's own PasswordService (what the
//     import would cost if one-time passwords were hashed like chosen ones);
//  3. checks every imported pupil is in the database and in their class.
// The goal (issue 3): a 500-row import in ≤ 10 s on this machine.
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccountsService, PasswordService } from '@app/identity';
import { createApiApp } from '../apps/api/src/app.factory.js';
import { intOption, machine, percentile, printResults, summarise, timed, withBenchEnvironment } from './support.js';

const GOAL_MS = 10_000;
const FIRST_NAMES = ['Amira', 'Oliver', 'Zoë', 'Kwame', 'Sofia', 'Mateusz', 'Aisha', 'Callum', 'Siân', 'Niamh', 'Dylan', 'Yusuf'];
const LAST_NAMES = ['Khan', 'Smith', "O'Brien, Jr", 'Mensah', 'Rossi', 'Nowak', 'Okoro', 'Núñez', 'Jones', 'Wu'];

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, port: number, method: string, path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port, path, method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A Year 7 roster: 11- and 12-year-olds (distinct dates of birth), each with a parent address, CRLF like a spreadsheet export. */
function rosterCsv(rows: number, label: string, withParents: boolean, now = new Date()): string {
  const lines = Array.from({ length: rows }, (_, i) => {
    const dob = new Date(Date.UTC(now.getUTCFullYear() - 12, now.getUTCMonth(), now.getUTCDate() + 30 + (i % 300)));
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length];
    return `"${first}","${last.replace(/"/g, '""')}",${dob.toISOString().slice(0, 10)},${withParents ? `parent-${label}-${i}@example.com` : ''}`;
  });
  return ['\uFEFFfirstName,lastName,dateOfBirth,parentEmail', ...lines].join('\r\n') + '\r\n';
}

export async function main(args: string[]): Promise<number> {
  const rows = intOption(args, 'rows', 500);
  const runs = intOption(args, 'runs', 5);
  const withParents = !args.includes('--without-parents');
  const host = machine();
  console.log(
    `roster-import: ${runs} imports of ${rows} under-13s (${withParents ? 'each with' : 'without'} a parent address) over HTTP ` +
      `vs ${rows} argon2id hashes (${host.cores} cores, Node ${host.node})`,
  );

  return withBenchEnvironment(async ({ name, config }) => {
    const app = await createApiApp(config);
    const agent = new Agent({ keepAlive: true });
    try {
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const db = app.get<DataSource>(getDataSourceToken());
      const json = (method: string, path: string, body: unknown, auth?: string) =>
        send(agent, port, method, path, JSON.stringify(body), { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) });
      const ok = (answer: Answer, status: number, what: string) => {
        if (answer.status !== status) throw new Error(`${what} failed: ${answer.status} ${answer.body.slice(0, 300)}`);
        return JSON.parse(answer.body || '{}');
      };

      // A verified teacher (registered over HTTP, school verified by an organiser).
      const password = 'amber-tugboat-lantern';
      const run = name.slice('yi_bench_'.length);
      await app.get(AccountsService).createOrganiser({ email: `organiser-${run}@example.com`, password, firstName: 'Sam', lastName: 'Okafor' }, null);
      const signIn = async (login: string) => `Bearer ${ok(await json('POST', '/api/v1/auth/login', { login, password }), 200, 'sign-in').accessToken}`;
      const organiser = await signIn(`organiser-${run}@example.com`);
      const teacherEmail = `teacher-${run}@example.com`;
      ok(
        await json('POST', '/api/v1/auth/register', {
          accountType: 'teacher',
          email: teacherEmail,
          password,
          firstName: 'Grace',
          lastName: 'Hopper',
          dateOfBirth: '1985-03-09',
          region: 'north-west',
        }),
        201,
        'teacher registration',
      );
      const teacher = await signIn(teacherEmail);
      const school = ok(await json('POST', '/api/v1/schools', { urn: '123456', name: 'Bench Academy', postcode: 'M1 1AE' }, teacher), 201, 'school');
      ok(await json('POST', `/api/v1/schools/${school.id}/verify`, {}, organiser), 200, 'verification');

      const importInto = async (label: string, count: number) => {
        const cls = ok(await json('POST', '/api/v1/classes', { schoolId: school.id, name: `Class ${label}` }, teacher), 201, 'class');
        const csv = rosterCsv(count, `${run}-${label}`, withParents);
        const { value, ms } = await timed(() =>
          send(agent, port, 'POST', `/api/v1/classes/${cls.id}/roster`, csv, { 'Content-Type': 'text/csv', Authorization: teacher }),
        );
        const created = ok(value, 201, `import ${label}`).created as unknown[];
        if (created.length !== count) throw new Error(`import ${label} created ${created.length} of ${count}`);
        return { classId: cls.id as string, ms };
      };

      await importInto('warmup', 20); // JIT, pools, sockets, the HMAC key (not counted)
      const imports: { classId: string; ms: number }[] = [];
      for (let i = 0; i < runs; i++) imports.push(await importInto(String(i + 1), rows));
      const times = imports.map((r) => r.ms);
      const median = percentile(times, 50);

      const passwords = app.get(PasswordService);
      const argon2 = await timed(() => Promise.all(Array.from({ length: rows }, (_, i) => passwords.hash(`baseline-${run}-${i}`))));

      const [{ pupils, enrolled, requests }] = (await db.query(
        `SELECT (SELECT count(*)::int FROM users WHERE origin = 'roster' AND one_time_password_hash IS NOT NULL AND password_hash IS NULL) AS pupils,
                (SELECT count(*)::int FROM class_student WHERE class_id = ANY($1)) AS enrolled,
                (SELECT count(*)::int FROM single_use_token WHERE purpose = 'parental_consent') AS requests`,
        [imports.map((r) => r.classId)],
      )) as { pupils: number; enrolled: number; requests: number }[];
      const expected = rows * runs;
      const expectedRequests = withParents ? expected + 20 : 0;
      const summary = summarise(times);

      printResults(
        `Roster import (${rows} rows, ${runs} runs)`,
        [
          ['import ms, median of runs', median.toFixed(0)],
          ['import ms, each run', times.map((t) => t.toFixed(0)).join(', ')],
          ['pupils per second (median run)', ((rows * 1000) / median).toFixed(0)],
          [`argon2id: ${rows} hashes at once, ms`, argon2.ms.toFixed(0)],
          ['median import ÷ argon2 baseline', (median / argon2.ms).toFixed(3)],
          [`goal ≤ ${GOAL_MS / 1000} s`, median <= GOAL_MS ? 'met' : 'MISSED'],
          ['pupils stored / enrolled (expected)', `${pupils - 20} / ${enrolled} (${expected})`],
          ['consent requests (expected)', `${requests} (${expectedRequests})`],
        ],
        {
          benchmark: 'roster-import',
          rows,
          runs,
          withParents,
          ...host,
          importMs: { median, each: times, min: summary.min, max: summary.max },
          argon2: { memoryKib: config.auth.argon2MemoryKib, timeCost: 2, parallelism: 1, hashes: rows, ms: argon2.ms },
          goalMs: GOAL_MS,
          goalMet: median <= GOAL_MS,
        },
      );
      console.log(
        `\nOne-time passwords are random (≥ 80 bits), so they sit under a keyed HMAC-SHA256 until the pupil's first ` +
          `password change; hashing them with argon2id instead would have added about ${(argon2.ms / 1000).toFixed(1)} s per import.`,
      );
      if (pupils - 20 !== expected || enrolled !== expected || requests !== expectedRequests) {
        console.error(`FAILED: ${pupils - 20} pupils, ${enrolled} enrolled, ${requests} consent requests`);
        return 1;
      }
      return median <= GOAL_MS ? 0 : 1;
    } finally {
      agent.destroy();
      await app.close();
    }
  });
}
