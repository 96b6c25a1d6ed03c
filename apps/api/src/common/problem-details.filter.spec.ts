import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AppLogger } from '@app/platform';
import type { Response } from 'express';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { QueryFailedError } from 'typeorm';
import { sendProblem } from './problem-details.filter.js';

describe('problem details filter', () => {
  afterEach(() => Logger.overrideLogger(false));

  it("logs an unexpected database error without the query's parameters, whatever logger Nest writes to", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // A bare pino, without the root logger's error serializer.
    Logger.overrideLogger(new AppLogger(pino({ level: 'info' }, sink)));
    const error = new QueryFailedError('INSERT INTO "users"("email","first_name") VALUES ($1, $2)', ['child@example.com', 'Amira'], new Error('Connection terminated'));
    const res = { headersSent: false, setHeader: () => res, status: () => res, type: () => res, send: () => res, end: () => res };
    sendProblem(error, res as unknown as Response);
    const [entry] = lines.map((l) => JSON.parse(l) as { msg: string; err: Record<string, unknown> });
    expect(entry.msg).toBe('unexpected error');
    expect(entry.err).toMatchObject({ name: 'QueryFailedError', message: 'Connection terminated' });
    expect(Object.keys(entry.err)).not.toEqual(expect.arrayContaining(['parameters']));
    expect(Object.keys(entry.err)).not.toEqual(expect.arrayContaining(['driverError']));
    expect(lines.join('')).not.toMatch(/child@example\.com|Amira/);
  });
});
