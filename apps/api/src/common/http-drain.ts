import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

const HARD_LIMIT_MS = 10_000;

/**
 * Graceful shutdown of the HTTP side: requests in flight finish, but their keep-alive connections
 * must not hold the process open for the idle timeout (65 s) afterwards. While draining, answers
 * carry `Connection: close` and idle connections are closed as soon as they fall idle; after 10 s
 * whatever is left is cut.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  private draining = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Express middleware: no new keep-alive once draining. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction) => {
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || this.draining) return;
    this.draining = true;
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), HARD_LIMIT_MS);
    sweep.unref();
    cut.unref();
    server.once('close', () => {
      clearInterval(sweep);
      clearTimeout(cut);
    });
  }
}
