/**
 * The FLOOR: the least a server can do to give the same answers. A bare `node:http`
 * handler per operation (`POST /<key>` with `{"variables": …}`) that runs the
 * operation's one hand-written statement on a `pg` pool and sends its JSON text, after
 * revealing household PII the way the hub does (decrypt, mask by the principal's level).
 * No authentication, parsing, validation or query planning: the principal is fixed per
 * operation, as the key it stands for would resolve.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { Sql } from '../src/db/sql';
import { revealHouseholdPii, type Principal } from '../src/services/access';
import type { Keyring } from '../src/services/identity';
import type { Operation } from './operations';

export interface FloorRoute {
  operation: Operation;
  principal: Readonly<Principal>;
  /** Named (prepared) statements; see `toPg`. */
  prepared: boolean;
}

export interface Floor {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * `?` placeholders (the hub's `sql` fragments, for knex) → `$1, $2 …` for node-postgres.
 * With `prepared`, the statement is named after its text, so each pooled connection
 * parses it once and PostgreSQL may reuse its plan (what a hand-written hot query does).
 */
export function toPg(query: Sql, prepared = false): { name?: string; text: string; values: unknown[] } {
  let n = 0;
  const text = query.text.replace(/\?/g, () => `$${++n}`);
  if (n !== query.params.length) throw new Error(`floor: ${n} placeholders for ${query.params.length} values`);
  const name = prepared ? `floor_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : undefined;
  return { name, text, values: [...query.params] };
}

const PII = /\{"\$pii" : "(NAME|PHONE)", "v" : "([0-9a-f]*)"\}/g;

/** Replaces the statement's encrypted PII objects by what the principal may see. */
export function revealPii(json: string, principal: Readonly<Principal>, keyring: Keyring): string {
  return json.replace(PII, (_, field: 'NAME' | 'PHONE', hex: string) => {
    const blob = Buffer.from(hex, 'hex');
    const value = revealHouseholdPii(principal, keyring, { nameEnc: blob, phoneEnc: blob }, field);
    return JSON.stringify(value);
  });
}

/** Runs one floor request's statement and returns the response body. */
export async function floorResponse(pool: Pool, route: FloorRoute, keyring: Keyring, variables: Record<string, unknown>): Promise<string> {
  const statement = route.operation.floor(variables, {
    principal: route.principal,
    requestId: randomUUID(),
    operationName: route.operation.operationName,
  });
  const result = await pool.query<{ data: string }>(toPg(statement, route.prepared));
  const data = revealPii(result.rows[0].data, route.principal, keyring);
  return `{"data":${data}}`;
}

export async function startFloor(pool: Pool, routes: readonly FloorRoute[], keyring: Keyring): Promise<Floor> {
  const byPath = new Map(routes.map((route) => [`/${route.operation.key}`, route]));
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const route = request.method === 'POST' ? byPath.get(request.url ?? '') : undefined;
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: Record<string, unknown> };
    const payload = await floorResponse(pool, route, keyring, body.variables ?? {});
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
    response.end(payload);
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(message);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
