import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppConfig, DomainError, SecretsService } from '@app/platform';
import { AccountsService } from '@app/identity';
import { BadgeIssuer, ObUrls, generateSecretKeyMultibase, importIssuerKey, previousKeyEntry } from '@app/badges';
import { CliModule } from './cli.module.js';
import { migrate } from './data-source.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                                  apply pending database migrations
  create-organiser --email E --password P --first-name F --last-name L
                                           create an organiser (or give the role to an adult account
                                           whose email is verified)
  demo [--serve]                           run a whole competition end to end on <database>_demo
  seed-demo                                the same, then keep serving it (same as demo --serve)
  badge-key current                        the signing key's public half, as a BADGE_PREVIOUS_KEYS entry
  badge-key new                            a fresh BADGE_SIGNING_KEY (secret) and its public half
`;

async function withContext<T>(config: AppConfig, fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = AppConfig.load();
  switch (command) {
    case 'migrate': {
      const applied = await migrate(config.db.url);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    case 'create-organiser': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          password: { type: 'string' },
          'first-name': { type: 'string' },
          'last-name': { type: 'string' },
        },
      });
      const missing = ['email', 'password', 'first-name', 'last-name'].filter((k) => !values[k as keyof typeof values]);
      if (missing.length) {
        console.error(`Missing: ${missing.map((m) => `--${m}`).join(', ')}\n\n${USAGE}`);
        return 2;
      }
      await migrate(config.db.url);
      const { user, created } = await withContext(config, (app) =>
        app.get(AccountsService).createOrganiser(
          { email: values.email!, password: values.password!, firstName: values['first-name']!, lastName: values['last-name']! },
          null,
        ),
      );
      console.log(`${created ? 'Created organiser' : 'Granted the organiser role to'} ${user.email} (id ${user.id}, username ${user.username})`);
      return 0;
    }
    case 'badge-key': {
      if (rest[0] === 'new') {
        const secret = generateSecretKeyMultibase();
        console.log(`BADGE_SIGNING_KEY=${secret}\npublic key: ${(await importIssuerKey(new ObUrls(config.http.publicBaseUrl).issuerV3, secret)).publicKeyMultibase}`);
        return 0;
      }
      if (rest[0] === 'current') {
        await migrate(config.db.url);
        const key = await withContext(config, async (app) => (await new BadgeIssuer(config, app.get(SecretsService)).signOptions(new Date())).key);
        console.log(previousKeyEntry(key));
        return 0;
      }
      console.error(USAGE);
      return 2;
    }
    case 'demo':
    case 'seed-demo': {
      const { runDemo } = await import('./demo/demo.js');
      await runDemo(config, { serve: command === 'seed-demo' || rest.includes('--serve') });
      return 0;
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof DomainError) {
      const fields = error.extra.errors?.map((e) => `  - ${e.message}`).join('\n');
      console.error(`${error.message}${fields ? `\n${fields}` : ''}`);
    } else console.error(error);
    process.exit(1);
  },
);
