import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { AppConfig, AppLogger, requestLogging } from '@app/platform';
import { BadgePublication } from '@app/badges';
import { mountBullBoard } from './admin/bull-board.js';
import { ApiModule } from './api.module.js';
import { credentialFastLane, installFastLane } from './ob/credential-fast-lane.js';
import { CACHE } from './ob/ob-response.js';
import { problemMiddleware } from './common/problem-details.filter.js';
import { problem } from './common/problem.js';
import { HttpDrain } from './common/http-drain.js';

export const API_PREFIX = 'api/v1';
const MAX_URL_LENGTH = 8192;
const BODY_LIMIT = '1mb';

/** Routes served outside /api/v1: health, the pages of emailed links, Open Badges documents. */
const OUTSIDE_PREFIX = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'verify-email', method: RequestMethod.GET },
  { path: 'reset-password', method: RequestMethod.GET },
  { path: 'consent', method: RequestMethod.GET },
  { path: 'ob/{*document}', method: RequestMethod.GET },
  { path: 'admin/session', method: RequestMethod.ALL },
  { path: 'judge-invitation', method: RequestMethod.GET },
];

function writeRawProblem(socket: Socket, status: number, code: string, detail: string, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(problem(status, code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Options every API application is created with (bodies are parsed by configureApiApp). */
export const API_APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), API_APP_OPTIONS);
  return configureApiApp(app, config);
}

/** Sets the application up exactly as production runs it (tests call this too). */
export function configureApiApp(app: NestExpressApplication, config: AppConfig): NestExpressApplication {
  const logger = app.get(AppLogger);
  const security = helmet();
  app.useLogger(logger);
  app.use(requestLogging(logger.root));
  app.use(app.get(HttpDrain).middleware);
  app.set('trust proxy', config.http.trustProxy);
  app.set('x-powered-by', false);
  app.enableShutdownHooks();

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl.length > MAX_URL_LENGTH) {
      res.status(414).type('application/problem+json').send(JSON.stringify(problem(414, 'URI_TOO_LONG', 'The URL is too long.')));
      return;
    }
    next();
  });
  app.use(security);
  app.enableCors({
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
  });
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use(express.text({ limit: BODY_LIMIT, type: ['text/csv'] }));
  app.use(problemMiddleware);

  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_PREFIX });
  mountBullBoard(app);
  setUpOpenApi(app, config);

  const server = app.getHttpServer() as Server;
  // In front of everything: public credentials already served once are answered from memory (see the file).
  installFastLane(
    server,
    app.getHttpAdapter().getInstance(),
    credentialFastLane(app.get(BadgePublication), {
      security,
      rateLimitPerMinute: config.http.rateLimitIpPerMinute,
      cacheControl: CACHE.revalidate,
    }),
  );
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'HPE_HEADER_OVERFLOW')
      return writeRawProblem(socket, 431, 'HEADERS_TOO_LARGE', 'The request headers are too large.', 'Request Header Fields Too Large');
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    writeRawProblem(socket, 400, 'BAD_REQUEST', 'The request is not valid HTTP.', 'Bad Request');
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}

export function setUpOpenApi(app: INestApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Young Ideas API')
      .setDescription(
        'The national youth digital-ideas competition and skill-badge library. Errors are RFC 9457 ' +
          'application/problem+json. Sign in with POST /api/v1/auth/login and send the access token as a Bearer token.',
      )
      .setVersion('1')
      .addServer(config.http.publicBaseUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', yamlDocumentUrl: 'api/docs-yaml' });
}
