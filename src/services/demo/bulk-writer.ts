import type { ClientBase } from 'pg';
import { TABLE_ORDER, TABLES, type Row, type TableName, type TableSpec } from './tables';

/**
 * Set-based inserts for the generator: rows are buffered per table as column arrays and
 * written with one `insert … select * from unnest($1::bigint[], $2::text[], …)` per table
 * chunk. Ids are assigned here, from each table's sequence position at the start, so a
 * child row can name its parent without a round trip; `finish` moves the sequences past
 * the ids used.
 *
 * Flushes send every table in parent-first order and are pipelined: the next chunk is
 * generated while PostgreSQL inserts the previous one, and at most one flush is in
 * flight, which bounds memory.
 */
const YIELD_EVERY_MS = 5;

export class BulkWriter {
  private readonly buffers = new Map<TableName, TableBuffer>();
  private readonly counts = new Map<TableName, number>();
  private readonly millis = new Map<TableName, number>();
  private inflight: Promise<void> | null = null;
  private failure: unknown = null;
  private lastYield = Date.now();
  private aborted = false;

  private constructor(
    private readonly client: ClientBase,
    startIds: Map<TableName, number>,
    private readonly chunkRows: number,
  ) {
    for (const name of TABLE_ORDER) {
      this.buffers.set(name, new TableBuffer(name, TABLES[name].spec, startIds.get(name)!));
      this.counts.set(name, 0);
      this.millis.set(name, 0);
    }
  }

  /**
   * Locks the demo tables against concurrent inserts (reads stay possible) and reads
   * each id sequence's next value. Call inside the seeding transaction.
   */
  static async open(client: ClientBase, chunkRows = 10_000): Promise<BulkWriter> {
    await client.query(`lock table ${TABLE_ORDER.map((t) => `"${t}"`).join(', ')} in share row exclusive mode`);
    const result = await client.query<{ name: TableName; next: string }>(
      `select t.name, coalesce(pg_sequence_last_value(c.oid) + 1, s.seqstart) as next
         from unnest($1::text[]) as t(name)
         join pg_class c on c.oid = pg_get_serial_sequence(t.name, 'id')::regclass
         join pg_sequence s on s.seqrelid = c.oid`,
      [TABLE_ORDER],
    );
    const startIds = new Map(result.rows.map((row) => [row.name, Number(row.next)]));
    const missing = TABLE_ORDER.filter((name) => !startIds.has(name));
    if (missing.length > 0) throw new Error(`No id sequence found for ${missing.join(', ')}: is the database migrated?`);
    return new BulkWriter(client, startIds, chunkRows);
  }

  /** A fresh id for a row of `table`. */
  id(table: TableName): number {
    return this.buffers.get(table)!.nextId++;
  }

  /** Buffers one row. */
  add<N extends TableName>(table: N, row: Row<N>): void {
    this.buffers.get(table)!.push(row as unknown as Record<string, unknown>);
  }

  /**
   * Starts a flush when a buffer is full (waiting only for the previous flush), and
   * otherwise yields to the event loop every few milliseconds: the connection's replies
   * are handled there, so a generator that never yielded would leave PostgreSQL idle
   * between the statements of a flush.
   */
  async maybeFlush(): Promise<void> {
    for (const buffer of this.buffers.values()) {
      if (buffer.rows >= this.chunkRows) {
        await this.flush();
        this.lastYield = Date.now();
        return;
      }
    }
    if (Date.now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = Date.now();
    }
  }

  /** Waits for the flush in flight, then sends every buffered row. */
  async flush(): Promise<void> {
    await this.settle();
    const statements: Array<{ table: TableName; sql: string; params: unknown[]; rows: number }> = [];
    for (const name of TABLE_ORDER) {
      const taken = this.buffers.get(name)!.take();
      if (taken !== null) statements.push({ table: name, ...taken });
    }
    if (statements.length === 0) return;
    // One statement after the other: each next one is sent from the previous one's
    // completion, which the driver handles as soon as the generator yields.
    const run = async (): Promise<void> => {
      for (const statement of statements) {
        if (this.aborted) return;
        const started = Date.now();
        await this.client.query(statement.sql, statement.params);
        this.counts.set(statement.table, this.counts.get(statement.table)! + statement.rows);
        this.millis.set(statement.table, this.millis.get(statement.table)! + Date.now() - started);
      }
    };
    this.inflight = run().catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Flushes everything, waits, and moves each sequence past the ids handed out. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
    const used = TABLE_ORDER.map((name) => ({ name, last: this.buffers.get(name)!.nextId - 1, first: this.buffers.get(name)!.firstId }))
      .filter((t) => t.last >= t.first);
    if (used.length > 0) {
      await this.client.query(
        `select setval(pg_get_serial_sequence(t.name, 'id'), t.last) from unnest($1::text[], $2::bigint[]) as t(name, last)`,
        [used.map((t) => t.name), used.map((t) => t.last)],
      );
    }
  }

  /**
   * Stops sending buffered statements and waits for the one in flight, so that a
   * rollback issued next cannot be overtaken by an insert running outside the
   * transaction.
   */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.inflight;
  }

  /** Rows written so far per table. */
  writtenCounts(): Record<TableName, number> {
    return Object.fromEntries(TABLE_ORDER.map((name) => [name, this.counts.get(name)!])) as Record<TableName, number>;
  }

  /** Milliseconds PostgreSQL spent inserting into each table (for performance reports). */
  insertMillis(): Record<TableName, number> {
    return Object.fromEntries(TABLE_ORDER.map((name) => [name, this.millis.get(name)!])) as Record<TableName, number>;
  }

  private async settle(): Promise<void> {
    if (this.inflight !== null) {
      await this.inflight;
      this.inflight = null;
    }
    if (this.failure !== null) throw this.failure;
  }
}

class TableBuffer {
  readonly columns: string[];
  readonly firstId: number;
  rows = 0;
  private data: unknown[][];
  private readonly sql: string;

  constructor(
    readonly name: TableName,
    spec: TableSpec,
    public nextId: number,
  ) {
    this.firstId = nextId;
    this.columns = Object.keys(spec);
    const types = this.columns.map((column) => spec[column].replace('?', ''));
    this.data = this.columns.map(() => []);
    const list = this.columns.map((column) => `"${column}"`).join(', ');
    const arrays = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    this.sql = `insert into "${name}" (${list}) select * from unnest(${arrays})`;
  }

  push(row: Record<string, unknown>): void {
    const { columns, data } = this;
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i]];
      if (value === undefined) throw new Error(`${this.name}.${columns[i]} is missing in a generated row`);
      data[i].push(value);
    }
    this.rows++;
  }

  take(): { sql: string; params: unknown[]; rows: number } | null {
    if (this.rows === 0) return null;
    const taken = { sql: this.sql, params: this.data, rows: this.rows };
    this.data = this.columns.map(() => []);
    this.rows = 0;
    return taken;
  }
}
