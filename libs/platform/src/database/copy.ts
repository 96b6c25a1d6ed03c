import { once } from 'node:events';
import type { EntityManager } from 'typeorm';

/**
 * PostgreSQL COPY over the project's own `pg` connections, for set-based bulk work (GUIDE practice 6):
 * writing a million rows with COPY FROM STDIN, reading a million with COPY TO STDOUT, without an ORM
 * entity (or even a JS object) per row.
 *
 * `pg` runs any object with a `submit(connection)` method as a query and hands it the protocol
 * messages that follow (CopyInResponse, CopyData, CommandComplete, ErrorResponse, ReadyForQuery) —
 * the extension point `pg-copy-streams` is built on. These two small submittables use it directly:
 * copy in sends the caller's chunks with the socket's backpressure, copy out passes each row (one
 * CopyData message per row in text format) to a synchronous callback, so nothing queues up.
 *
 * Both run on the connection of the caller's transaction: the rows commit (or roll back) with it.
 */

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

interface PgClient {
  query(submittable: object): unknown;
}

type Done = (error: Error | null, rows: number) => void;

/** Base of both submittables: the messages a COPY can receive, and finishing exactly once. */
abstract class CopySubmittable {
  protected rows = 0;
  protected failed: Error | null = null;
  private finished = false;

  constructor(
    protected readonly text: string,
    private readonly done: Done,
  ) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rows = Number(match[1]);
  }

  /** The server's ErrorResponse (followed by ReadyForQuery) or a broken connection: report it now, as pg's own Query does. */
  handleError(error: Error): void {
    this.failed ??= error;
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  // Messages a COPY statement does not produce; present so pg never calls an undefined handler.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(_connection: PgConnection): void {}
  handleCopyData(_message: { chunk: Buffer }): void {}

  protected finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.done(this.failed, this.rows);
  }
}

class CopyIn extends CopySubmittable {
  private sourceError: Error | null = null;

  constructor(
    text: string,
    private readonly source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
    done: Done,
  ) {
    super(text, done);
  }

  override handleCopyInResponse(connection: PgConnection): void {
    void this.pump(connection);
  }

  override handleError(error: Error): void {
    super.handleError(this.sourceError ?? error);
  }

  private async pump(connection: PgConnection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.failed) return;
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        if (!buffer.length) continue;
        connection.sendCopyFromChunk(buffer);
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      // The server answers CopyFail with an ErrorResponse; the caller sees the source's error.
      this.sourceError = error as Error;
      connection.sendCopyFail(String((error as Error).message ?? error).slice(0, 200));
    }
  }
}

class CopyOut extends CopySubmittable {
  constructor(
    text: string,
    private readonly onRow: (row: Buffer) => void,
    done: Done,
  ) {
    super(text, done);
  }

  override handleCopyData(message: { chunk: Buffer }): void {
    if (this.failed) return;
    try {
      this.onRow(message.chunk);
    } catch (error) {
      // Keep reading (the server is sending anyway) and report the callback's error at the end.
      this.failed = error as Error;
    }
  }
}

async function clientOf(manager: EntityManager): Promise<PgClient> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('COPY runs in a transaction: pass the EntityManager of dataSource.transaction(...)');
  return (await runner.connect()) as PgClient;
}

function run(client: PgClient, make: (done: Done) => CopySubmittable): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    client.query(make((error, rows) => (error ? reject(error) : resolve(rows))));
  });
}

/**
 * `COPY … FROM STDIN` (text format unless the statement says otherwise) fed from `source`, a
 * (possibly async) iterable of chunks holding whole or partial lines. Resolves to the rows copied.
 */
export async function copyFrom(manager: EntityManager, sql: string, source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number> {
  const client = await clientOf(manager);
  return run(client, (done) => new CopyIn(sql, source, done));
}

/**
 * `COPY … TO STDOUT`: `onRow` gets every row as the raw bytes of one line (text format: fields
 * separated by tabs, `\N` for NULL, a trailing newline). Resolves to the number of rows.
 */
export async function copyTo(manager: EntityManager, sql: string, onRow: (row: Buffer) => void): Promise<number> {
  const client = await clientOf(manager);
  return run(client, (done) => new CopyOut(sql, onRow, done));
}

/** Escapes a value for a text-format COPY field (backslash, tab, newline, carriage return); null is `\N`. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** Yields text chunks of about `chunkBytes` from rows produced one line at a time (without the newline). */
export function* copyLines(count: number, line: (i: number) => string, chunkBytes = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const text = line(i);
    parts.push(text);
    size += text.length + 1;
    if (size >= chunkBytes) {
      yield parts.join('\n') + '\n';
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.join('\n') + '\n';
}

/**
 * Reads the integer fields of one text-format COPY row into `into` (left to right), returning how
 * many there were. NULL fields (`\N`) are stored as `nullAs`. Only optional minus signs and digits
 * are expected: it is for rows of integers, read a million at a time without making strings.
 */
export function readIntRow(row: Buffer, into: Int32Array | Float64Array, nullAs = 0): number {
  let field = 0;
  let value = 0;
  let negative = false;
  let isNull = false;
  const end = row.length > 0 && row[row.length - 1] === 0x0a ? row.length - 1 : row.length;
  for (let p = 0; p <= end; p++) {
    const c = p < end ? row[p] : 0x09;
    if (c === 0x09) {
      if (field < into.length) into[field] = isNull ? nullAs : negative ? -value : value;
      field++;
      value = 0;
      negative = false;
      isNull = false;
    } else if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
    } else if (c === 0x2d) {
      negative = true;
    } else if (c === 0x5c) {
      isNull = true; // "\N"
      p++;
    } else {
      throw new RangeError(`readIntRow: unexpected byte ${c} in an integer field`);
    }
  }
  return field;
}
