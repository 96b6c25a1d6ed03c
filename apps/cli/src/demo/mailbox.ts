import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads the emails the app wrote as .eml files (no SMTP_URL) to follow their links, like a person. */
export class Mailbox {
  private seen = new Set<string>();

  constructor(private readonly dir: string) {}

  /** Waits for an unseen email to `to` whose subject matches, and returns the token of its `page` link. */
  async token(to: string, subject: RegExp, page: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const file of await readdir(this.dir).catch(() => [] as string[])) {
        if (this.seen.has(file)) continue;
        const text = decodeQuotedPrintable(await readFile(join(this.dir, file), 'utf8'));
        const headerTo = /^To: (.*)$/m.exec(text)?.[1] ?? '';
        const headerSubject = decodeHeader(/^Subject: (.*(?:\n[ \t].*)*)$/m.exec(text)?.[1] ?? '');
        if (!headerTo.toLowerCase().includes(to.toLowerCase()) || !subject.test(headerSubject)) continue;
        const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
        if (!match) continue;
        this.seen.add(file);
        return decodeURIComponent(match[1]);
      }
      if (Date.now() > deadline) throw new Error(`no "${subject}" email to ${to} in ${this.dir}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** RFC 2047 encoded words (UTF-8), as nodemailer writes non-ASCII subjects. */
function decodeHeader(value: string): string {
  return value
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(decodeQuotedPrintable(data.replace(/_/g, ' ')), 'latin1').toString('utf8'),
    );
}
