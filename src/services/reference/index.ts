import type { ClientBase } from 'pg';
import { loadGeography } from './geography';
import { DEFAULT_POLICY_PARAMETERS } from './policy-parameters';

export * from './geography';
export * from './policy-parameters';
export { readCsv } from './csv';
export { cachedReferenceRows, forgetReferenceData, REFERENCE_TTL_MS } from './reference-cache';

/** Inserts the default policy parameters that are not there yet (by key and start date). */
export async function loadDefaultPolicyParameters(client: ClientBase): Promise<number> {
  const p = DEFAULT_POLICY_PARAMETERS;
  const result = await client.query(
    `insert into policy_parameter (key, value, unit, valid_from, valid_to, basis, description, created_by)
     select k, v, u, f, t, b, d, 'reference-data'
     from unnest($1::varchar[], $2::numeric[], $3::varchar[], $4::date[], $5::date[], $6::text[], $7::text[]) as x(k, v, u, f, t, b, d)
     on conflict (key, valid_from) do nothing`,
    [p.map((x) => x.key), p.map((x) => x.value), p.map((x) => x.unit), p.map((x) => x.validFrom), p.map((x) => x.validTo ?? null), p.map((x) => x.basis), p.map((x) => x.description)],
  );
  return result.rowCount ?? 0;
}

/** Loads all reference data (geography, designations, default policy parameters) in one transaction. */
export async function loadReferenceData(client: ClientBase): Promise<{ areas: number; designations: number; parameters: number }> {
  await client.query('begin');
  try {
    const geography = await loadGeography(client);
    const parameters = await loadDefaultPolicyParameters(client);
    await client.query('commit');
    return { ...geography, parameters };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
