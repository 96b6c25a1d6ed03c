import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { JobQueue, QUEUES } from '@app/platform';
import { AuthService } from '@app/identity';
import { problem } from '../common/problem.js';

export const ADMIN_PATH = '/admin';
export const ADMIN_COOKIE = 'yi_admin';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Bull Board at /admin/queues, for organisers holding the operator cookie (POST /admin/session). */
export function mountBullBoard(app: INestApplication): void {
  const jobs = app.get(JobQueue);
  const auth = app.get(AuthService);
  const board = new ExpressAdapter();
  board.setBasePath(`${ADMIN_PATH}/queues`);
  createBullBoard({ queues: Object.values(QUEUES).map((name) => new BullMQAdapter(jobs.queue(name))), serverAdapter: board });

  const guard = async (req: Request, res: Response, next: NextFunction) => {
    const token = cookie(req, ADMIN_COOKIE);
    const principal = token ? await auth.verifyOperatorToken(token) : null;
    if (!principal) {
      res.status(401).type('application/problem+json').send(JSON.stringify(problem(401, 'UNAUTHENTICATED', 'Open an operator session first: POST /admin/session as an organiser.')));
      return;
    }
    // The board is a script-driven page of its own: a CSP that lets it run, and nothing else in.
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  app.use(`${ADMIN_PATH}/queues`, guard, board.getRouter());
}
