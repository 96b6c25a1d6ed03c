import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** A real SMTP server on a random local port that keeps every message it accepts. */
export class MailCapture {
  readonly messages: CapturedMail[] = [];
  private server?: SMTPServer;
  /** While set, the server refuses mail with a temporary error (to test retries). */
  refusing = false;
  /** Addresses the server refuses for good, quoting them as real servers do (550 5.1.1). */
  readonly unknownRecipients = new Set<string>();

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.unknownRecipients.has(address.address.toLowerCase())) return callback();
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          if (this.refusing) {
            callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
            return;
          }
          const parsed = await simpleParser(Buffer.concat(chunks));
          const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          this.messages.push({
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for the n-th message to an address (polling; no fixed sleeps). */
  async waitFor(address: string, predicate: (m: CapturedMail) => boolean = () => true, timeoutMs = 10_000): Promise<CapturedMail> {
    return waitFor(() => this.to(address).find(predicate), timeoutMs, `an email to ${address}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The token in a link to one of the emailed pages. */
export function tokenFrom(mail: CapturedMail, page: string): string {
  const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_%-]+)`).exec(mail.text);
  if (!match) throw new Error(`no /${page} link in: ${mail.text}`);
  return decodeURIComponent(match[1]);
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
