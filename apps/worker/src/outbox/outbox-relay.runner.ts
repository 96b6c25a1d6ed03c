import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxService } from '@app/platform';

const IDLE_MS = 100;
const ERROR_BACKOFF_MS = 1000;

/**
 * Moves committed outbox rows to BullMQ. Runs in every worker process; SKIP LOCKED lets them share
 * the work. While Redis is down rows simply wait in the table.
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayRunner.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly outbox: OutboxService) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let relayed = 0;
      try {
        relayed = await this.outbox.relayBatch();
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 60 === 0) this.logger.warn({ err: error }, 'outbox relay failed; will retry');
      }
      if (relayed === 0) await this.sleep(failures ? ERROR_BACKOFF_MS : IDLE_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
