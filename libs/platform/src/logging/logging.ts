import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';

// nestjs-pino is not used: it is CommonJS requiring the ESM-only @nestjs/common 12, which Jest's VM
// runtime cannot load on Node 20. This is the small part of it the project needs.

const requestLogger = new AsyncLocalStorage<Pino>();
// Emailed tokens (≥ 256 bits of base64url) travel in some paths, e.g. /api/v1/consent/:token; UUIDs are shorter.
const TOKEN_SEGMENT = /\/[A-Za-z0-9_-]{40,}(?=\/|$)/g;
const redactTokens = (path: string) => path.replace(TOKEN_SEGMENT, '/[redacted]');
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * What is logged of an error under `err`: pino's standard serializer keeps every own property, and TypeORM's
 * QueryFailedError carries the query's `parameters` and `driverError` (and pg's `detail` quotes key values), so a
 * failed INSERT INTO users would log a child's email, names and password hash. Only these fields are kept.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const e = error as { name?: unknown; type?: unknown; message?: unknown; code?: unknown; stack?: unknown; query?: unknown };
  const out: Record<string, unknown> = {};
  // pino-http hands its error serializer pino's standard output, where the name is `type`.
  const name = e.name ?? e.type;
  if (typeof name === 'string') out.name = name;
  if (typeof e.message === 'string') out.message = e.message;
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  // The SQL text alone, with $n placeholders: the values are in `parameters`, which is dropped.
  if (typeof e.query === 'string') out.query = e.query.slice(0, 500);
  if (typeof e.stack === 'string') out.stack = e.stack;
  return out;
}

/** JSON logs; secrets and tokens are redacted wherever they appear, errors reduced by serializeError. */
export function createRootLogger(config: AppConfig, name: string, destination?: DestinationStream): Pino {
  return pino({
    name,
    level: config.log.level,
    serializers: { err: serializeError },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
  }, destination);
}

/**
 * Logs each request once with a request id (honouring a sane X-Request-Id) and makes that request's
 * logger the one Nest's Logger writes to while the request runs. Bodies and query strings are never
 * logged: they may hold children's data or tokens.
 */
export function requestLogging(root: Pino) {
  const http = pinoHttp({
    logger: root,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: redactTokens(req.url.split('?')[0]) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http installs pino's standard error serializer on each request's logger unless given one.
      err: serializeError,
    },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    http(req, res);
    res.setHeader('X-Request-Id', String((req as IncomingMessage & { id: string }).id));
    requestLogger.run((req as IncomingMessage & { log: Pino }).log, next);
  };
}

/** Nest's LoggerService over pino. */
export class AppLogger implements LoggerService {
  constructor(readonly root: Pino) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]) {
    const logger = requestLogger.getStore() ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message && typeof message === 'object') {
      const obj = message instanceof Error ? { err: message } : (message as object);
      logger[level]({ context, ...obj }, typeof rest[0] === 'string' ? rest[0] : undefined);
    } else {
      // Nest passes an error's stack as the first extra parameter of error().
      const stack = level === 'error' && typeof rest[0] === 'string' ? rest[0] : undefined;
      logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
