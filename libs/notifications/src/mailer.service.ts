import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/platform';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** SMTP when SMTP_URL is set; otherwise each email is written as an .eml file under MAIL_DIR. */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: AppConfig) {
    this.toFiles = !config.mail.smtpUrl;
    this.transport = config.mail.smtpUrl
      ? nodemailer.createTransport({ url: config.mail.smtpUrl, pool: true }) // reuses connections: a results fan-out is thousands of emails
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.config.mail.from, ...mail });
    if (this.toFiles) {
      await mkdir(this.config.mail.dir, { recursive: true });
      const name = mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9@._-]/g, '_');
      const file = join(this.config.mail.dir, `${name}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log({ file }, 'email written to file (SMTP_URL is not set)');
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
