import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

/**
 * Returns a named secret: the configured value when there is one, otherwise the value generated and
 * stored by the first process that asked (race-safe across API and worker starting together).
 */
@Injectable()
export class SecretsService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Loaded before the first request: code running inside a transaction asks for it, and a first load
   * then would need a second pool connection while every connection is held by such transactions.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.master();
  }

  /** The application master secret (JWT_SECRET, or generated): JWT signing and key derivation. */
  master(): Promise<string> {
    return this.get('master', this.config.auth.jwtSecret, () => randomBytes(48).toString('base64url'));
  }

  get(name: string, configured: string | undefined, generate: () => string | Promise<string>): Promise<string> {
    if (configured) return Promise.resolve(configured);
    let value = this.cache.get(name);
    if (!value) {
      value = this.loadOrCreate(name, generate);
      value.catch(() => this.cache.delete(name));
      this.cache.set(name, value);
    }
    return value;
  }

  private async loadOrCreate(name: string, generate: () => string | Promise<string>): Promise<string> {
    const candidate = await generate();
    await this.dataSource.query(
      `INSERT INTO platform_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, candidate],
    );
    const [row] = await this.dataSource.query(`SELECT value FROM platform_secret WHERE name = $1`, [name]);
    return row.value as string;
  }
}
