import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDemoSecrets } from '../../src/db/secrets';
import { parseKeyring } from '../../src/services/identity';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tripod-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('first use writes fresh secrets, owner-only; later uses read the same ones', async () => {
  const dataDir = join(dir, 'nested', 'data');
  const first = await loadOrCreateDemoSecrets(dataDir);
  const file = join(dataDir, 'secrets.json');

  expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(first);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(await loadOrCreateDemoSecrets(dataDir)).toEqual(first);

  expect(parseKeyring(first.matchKeys, 'matchKeys').keys.get(1)).toHaveLength(32);
  expect(parseKeyring(first.piiKeys, 'piiKeys').keys.get(1)).toHaveLength(32);
  expect(Buffer.from(first.tokenSecret, 'base64')).toHaveLength(32);
  expect(new Set([first.matchKeys.slice(3), first.piiKeys.slice(3), first.tokenSecret]).size).toBe(3);
});

test('concurrent first uses agree on one set of secrets', async () => {
  const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDemoSecrets(dir)));
  expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  expect(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'))).toEqual(results[0]);
});

test('a damaged secrets file is reported, never overwritten', async () => {
  const file = join(dir, 'secrets.json');
  await writeFile(file, '{"matchKeys": "v1:abc"}', { mode: 0o644 });
  await expect(loadOrCreateDemoSecrets(dir)).rejects.toThrow(`${file} is not a valid secrets file; move it away to generate new secrets`);
  expect(await readFile(file, 'utf8')).toBe('{"matchKeys": "v1:abc"}');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
});
