import type { Keyring } from '../identity';
import type { BatchRegistry, Inst, Provenance } from './batches';
import type { BulkWriter } from './bulk-writer';
import type { Day } from './calendar';
import { canonicalJson, sha256Hex, type CanonicalValue } from './canonical';
import type { Rng } from './prng';
import type { CountyRef, PolicyParameters } from './reference';

/** The demo institutions of one province. */
export interface ProvinceInstitutions {
  centralBank: Inst;
  regulator: Inst;
  guarantor: Inst;
  insurers: [Inst, Inst];
}

/** The demo institutions of one county. */
export interface CountyInstitutions {
  /** Rural commercial bank: the main micro-credit lender and re-lending borrower. */
  rcb: Inst;
  /** County branch of the national agricultural bank. */
  agb: Inst;
  government: Inst;
  /** County branch of the provincial agricultural credit guarantor. */
  guarantor: Inst;
}

export interface Institutions {
  operator: Inst;
  provinces: Map<string, ProvinceInstitutions>;
  counties: Map<string, CountyInstitutions>;
}

export interface DisasterRef {
  id: number;
  ref: string;
  startsOn: Day;
  endsOn: Day;
  /** Area codes (any level) the event covers; a county is hit when one is a prefix of its code. */
  areas: string[];
}

export interface Disasters {
  epidemic: DisasterRef;
  flood: DisasterRef;
  swineFever: DisasterRef;
}

/** Whether an event covers a county. */
export function hits(event: DisasterRef, countyCode: string): boolean {
  return event.areas.some((area) => countyCode.startsWith(area));
}

/** A county's risk compensation fund as loans and movements need it. */
export interface FundRef {
  id: number;
  ref: string;
  countyCode: string;
  government: Inst;
  /** The fund's loss share with each cooperating bank, ppm, by bank id. */
  fundSharePpm: Map<number, number>;
}

/** A re-lending draw, for choosing which loans it funds. */
export interface FacilityRef {
  id: number;
  ref: string;
  drawnOn: Day;
  dueOn: Day;
}

/** Everything the generators share during one seeding run. */
export interface DemoContext {
  seed: number;
  households: number;
  rng: Rng;
  writer: BulkWriter;
  batches: BatchRegistry;
  params: PolicyParameters;
  matchKeys: Keyring;
  piiKeys: Keyring;
  counties: CountyRef[];
  institutions: Institutions;
  disasters: Disasters;
  relocationCounties: Set<string>;
  funds: Map<string, FundRef>;
  facilities: Map<string, FacilityRef[]>;
  /** Per-key serial numbers for references (`next(ctx, 'loan:BANK-RCB-513431')`). */
  serials: Map<string, number>;
  /** Per-kind counters of the deliberate anomalies (`oneIn`). */
  quotas: Map<string, number>;
}

/** The next serial number for `key`, from 1. */
export function next(ctx: DemoContext, key: string): number {
  const value = (ctx.serials.get(key) ?? 0) + 1;
  ctx.serials.set(key, value);
  return value;
}

/**
 * Deliberate anomalies (policy violations, late payments, corrections) are placed by
 * quota rather than by chance: true for the ⌈k/10⌉-th candidate and every k-th after it,
 * so the rate is exactly one in `k` and even a small data set has the first one.
 */
export function oneIn(ctx: DemoContext, kind: string, k: number): boolean {
  const n = (ctx.quotas.get(kind) ?? 0) + 1;
  ctx.quotas.set(kind, n);
  return n % k === Math.ceil(k / 10) % k;
}

export type RecordKind =
  | 'HOUSEHOLD'
  | 'ENTERPRISE'
  | 'SERVICE_POINT'
  | 'LOAN'
  | 'INSURANCE_POLICY'
  | 'CLAIM'
  | 'GUARANTEE_CONTRACT'
  | 'RELENDING_FACILITY'
  | 'RISK_COMPENSATION_FUND'
  | 'DISASTER_EVENT'
  | 'DOCKING_EVENT'
  | 'FINDING';

/**
 * Writes one version of a record's terms (canonical JSON, money as strings) with its
 * SHA-256, under the provenance of the batch that carried that version.
 */
export function recordVersion(
  ctx: Pick<DemoContext, 'writer' | 'batches'>,
  kind: RecordKind,
  recordId: number,
  version: number,
  countyCode: string,
  terms: { [key: string]: CanonicalValue | undefined },
  provenance: Provenance,
): void {
  const json = canonicalJson(terms as CanonicalValue);
  ctx.batches.countItem(provenance.batch_id);
  ctx.writer.add('record_version', {
    id: ctx.writer.id('record_version'),
    ...provenance,
    record_kind: kind,
    record_id: recordId,
    version,
    county_code: countyCode,
    terms: json,
    terms_hash: sha256Hex(json),
  });
}
