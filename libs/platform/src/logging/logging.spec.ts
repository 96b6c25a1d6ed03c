import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AppLogger, createRootLogger, requestLogging } from './logging.js';

const PERSONAL = ['child@example.com', 'Amira', 'Khan', '2015-03-01', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'];
const SQL = 'INSERT INTO "users"("email","first_name","last_name","date_of_birth","password_hash") VALUES ($1, $2, $3, $4, $5)';

/** A failed registration INSERT as TypeORM throws it: pg's error (with `detail` quoting the key) copied onto it. */
function failedInsert(): QueryFailedError {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
    code: '23505',
    detail: 'Key (email)=(child@example.com) already exists.',
    constraint: 'users_email_key',
  });
  return new QueryFailedError(SQL, PERSONAL, driverError);
}

function captured() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const root = createRootLogger(AppConfig.load({ NODE_ENV: 'test', LOG_LEVEL: 'info' }), 'test', sink);
  return { root, logger: new AppLogger(root), text: () => lines.join(''), entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SERIALIZED = {
  name: 'QueryFailedError',
  message: 'duplicate key value violates unique constraint "users_email_key"',
  code: '23505',
  query: SQL,
  stack: expect.stringContaining('QueryFailedError'),
};

function expectNoPersonalData(text: string) {
  for (const value of PERSONAL) expect(text).not.toContain(value);
  expect(text).not.toContain('driverError');
  expect(text).not.toContain('parameters');
}

describe('logging errors', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('logs a failed query as name, message, code, SQL text and stack, never its parameters or the driver error', () => {
    const { logger, text, entries } = captured();
    logger.error(failedInsert());
    logger.warn({ err: failedInsert(), outboxId: 'x' }, 'with context');
    Logger.overrideLogger(logger);
    new Logger('Problem').error({ errorId: 'e1', err: failedInsert() }, 'unexpected error');
    expectNoPersonalData(text());
    expect(entries()).toHaveLength(3);
    for (const entry of entries()) expect(entry.err).toEqual(SERIALIZED);
  });

  it('does the same on a request logger, which pino-http would give its own error serializer', () => {
    const { root, logger, text, entries } = captured();
    Logger.overrideLogger(logger);
    const req = new IncomingMessage(new Socket());
    Object.assign(req, { method: 'POST', url: '/api/v1/auth/register' });
    const res = new ServerResponse(req);
    requestLogging(root)(req, res, () => new Logger('Problem').error({ err: failedInsert() }, 'unexpected error'));
    expectNoPersonalData(text());
    expect(entries()).toEqual([expect.objectContaining({ req: expect.objectContaining({ method: 'POST' }), err: SERIALIZED })]);
  });
});
