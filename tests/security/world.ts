/**
 * The security suites' shared world: a small data set covering every entity type and
 * every role's relation to it, seeded in SQL into the file's own test database, one real
 * API key per principal (issued through `issueApiKey`, so every request goes through the
 * production authentication path: `Authorization: Bearer tpd_…`), the server started as
 * `src/main.ts` starts it (default credentials resolver), and an HTTP client that keeps
 * every response so a suite can scan them all for leaks at the end.
 *
 * `SEES` below is the spec of DESIGN.md §3 applied to this world: one line per record,
 * one column per principal. The isolation matrix derives every expected cell from it;
 * adding a record is one line there plus its seed row here.
 *
 * Usage, at the top of a test file (import this module first):
 *
 *     const sec = useSecurityWorld();
 *     test('…', async () => { const { body } = await sec.gql('bankA', '{ … }'); … });
 */
import '../api/reset-orm-metadata';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { buildSchema as buildSdlSchema, type GraphQLSchema } from 'graphql';
import { Client, Pool } from 'pg';
import { loadConfig, projectRoot, type Config } from '../../src/config';
import { withClient } from '../../src/db/admin';
import { createOrm } from '../../src/db/orm';
import { createServer, type ServerOptions } from '../../src/server';
import { issueApiKey } from '../../src/services/auth';
import { encryptPii, matchHash, parseKeyring, syntheticNationalId } from '../../src/services/identity';
import type { LimitsEnvironment, RateLimiter } from '../../src/services/limits';
import { useTestDatabase, type TestDatabase } from '../helpers';

// ---------------------------------------------------------------------------------------
// Secrets and configuration (test values; never used outside tests)

export const PII_KEYS = `v1:${Buffer.alloc(32, 21).toString('base64')}`;
export const MATCH_KEYS = `v1:${Buffer.alloc(32, 42).toString('base64')}`;
export const TOKEN_SECRET = 'security-suite-token-secret-0123456789-abcdefghij';
export const JWT_ISSUER = 'https://idp.security.test';
export const JWT_AUDIENCE = 'tripod-security-suite';

/** The configuration of the world's servers; `env` overrides NODE_ENV-derived behaviour. */
export function worldConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    TRIPOD_PII_KEYS: PII_KEYS,
    TRIPOD_MATCH_KEYS: MATCH_KEYS,
    TRIPOD_TOKEN_SECRET: TOKEN_SECRET,
    TRIPOD_JWT_ISSUER: JWT_ISSUER,
    TRIPOD_JWT_AUDIENCE: JWT_AUDIENCE,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

// ---------------------------------------------------------------------------------------
// Geography: two counties in different prefectures (and provinces)

/** 望谟县, prefecture 黔西南州 (5223), Guizhou. */
export const C1 = '522326';
export const V1 = '522326101201';
export const V1B = '522326101202';
/** 昭觉县, prefecture 凉山州 (5134), Sichuan. */
export const C2 = '513431';
export const V2 = '513431100200';

// ---------------------------------------------------------------------------------------
// Institutions and principals

export const INSTITUTIONS = {
  'SEC-BANK-A': { name: '望谟农村商业银行', kind: 'BANK', home: C1 },
  'SEC-BANK-B': { name: '贵州银行', kind: 'BANK', home: '52' },
  'SEC-INS-1': { name: '人保财险望谟支公司', kind: 'INSURER', home: C1 },
  'SEC-INS-2': { name: '中华联合财险黔西南中心支公司', kind: 'INSURER', home: '5223' },
  'SEC-GUA-1': { name: '贵州省农业信贷融资担保公司', kind: 'GUARANTOR', home: '52' },
  'SEC-GUA-2': { name: '黔西南州融资担保公司', kind: 'GUARANTOR', home: '5223' },
  'SEC-GOV-C1': { name: '望谟县人民政府', kind: 'GOVERNMENT', home: C1 },
  'SEC-GOV-C2': { name: '昭觉县人民政府', kind: 'GOVERNMENT', home: C2 },
  'SEC-REG-5223': { name: '黔西南监管分局', kind: 'REGULATOR', home: '5223' },
  'SEC-PBC': { name: '中国人民银行', kind: 'CENTRAL_BANK', home: '11' },
  'SEC-REG-NATION': { name: '国家金融监督管理总局', kind: 'REGULATOR', home: '11' },
  'SEC-OPS': { name: 'Tripod 运营', kind: 'OPERATOR', home: '11' },
} as const;
export type InstitutionCode = keyof typeof INSTITUTIONS;

interface PrincipalSpec {
  role: 'BANK' | 'INSURER' | 'GUARANTOR' | 'GOVERNMENT' | 'REGULATOR' | 'ANALYST' | 'ADMIN';
  institution: InstitutionCode | null;
  areaCodes?: string[];
  piiGranted?: boolean;
}

/**
 * One API key each; the matrix's columns, in this order. Banks, insurers and guarantors
 * are national (their rows are their contracts wherever made); the governments default
 * to their county; `regPref` sees one prefecture; `analyst` works for bank A, which
 * must not give it bank A's rows.
 */
export const PRINCIPALS = {
  bankA: { role: 'BANK', institution: 'SEC-BANK-A' },
  bankB: { role: 'BANK', institution: 'SEC-BANK-B' },
  insurer1: { role: 'INSURER', institution: 'SEC-INS-1' },
  insurer2: { role: 'INSURER', institution: 'SEC-INS-2' },
  guarantor1: { role: 'GUARANTOR', institution: 'SEC-GUA-1' },
  guarantor2: { role: 'GUARANTOR', institution: 'SEC-GUA-2' },
  govC1: { role: 'GOVERNMENT', institution: 'SEC-GOV-C1' },
  govC2: { role: 'GOVERNMENT', institution: 'SEC-GOV-C2' },
  regPref: { role: 'REGULATOR', institution: 'SEC-REG-5223', areaCodes: ['5223'] },
  regNation: { role: 'REGULATOR', institution: 'SEC-PBC' },
  regNationPii: { role: 'REGULATOR', institution: 'SEC-REG-NATION', piiGranted: true },
  analyst: { role: 'ANALYST', institution: 'SEC-BANK-A' },
  admin: { role: 'ADMIN', institution: 'SEC-OPS' },
} as const satisfies Record<string, PrincipalSpec>;
export type PrincipalName = keyof typeof PRINCIPALS;
export const PRINCIPAL_NAMES = Object.keys(PRINCIPALS) as PrincipalName[];

// ---------------------------------------------------------------------------------------
// Records

export type NodeType =
  | 'Household'
  | 'HouseholdStatusChange'
  | 'Enterprise'
  | 'Loan'
  | 'LoanPosition'
  | 'InsurancePolicy'
  | 'Claim'
  | 'GuaranteeContract'
  | 'Compensation'
  | 'Alert'
  | 'Finding'
  | 'ServicePoint';

export interface HouseholdSpec {
  ref: string;
  county: string;
  village: string;
  status: 'REGISTERED_POOR' | 'LIFTED_OUT' | 'MARGINAL' | 'OTHER';
  name: string;
  phone: string | null;
  /** What a regulator without a PII grant sees. */
  masked: { name: string; phone: string | null };
  /** Province and sequence of the head's synthetic national ID number. */
  idProvince: string;
  idSequence: number;
}

/** Distinct surnames and numbers, so that a leaked value names exactly one household. */
export const HOUSEHOLDS = {
  /** Bank A's borrower (loan LA, insured by P1, guaranteed by G1). */
  hA: { ref: 'HSECHA0000001', county: C1, village: V1, status: 'REGISTERED_POOR', name: '张三', phone: '13812345678', masked: { name: '张*', phone: '138****5678' }, idProvince: '52', idSequence: 101 },
  /** Bank B's borrower. */
  hB: { ref: 'HSECHB0000002', county: C1, village: V1, status: 'LIFTED_OUT', name: '李四海', phone: '13900001111', masked: { name: '李**', phone: '139****1111' }, idProvince: '52', idSequence: 102 },
  /** Insured only: holder of insurer 2's P2 and on insurer 1's group policy P1. */
  hI: { ref: 'HSECH10000003', county: C1, village: V1B, status: 'MARGINAL', name: '王五', phone: '13700002222', masked: { name: '王*', phone: '137****2222' }, idProvince: '52', idSequence: 103 },
  /** Guarantor 2's counterparty only (G2, whose link to bank A is pending). */
  hG: { ref: 'HSECHG0000004', county: C1, village: V1B, status: 'REGISTERED_POOR', name: '赵六', phone: '13600003333', masked: { name: '赵*', phone: '136****3333' }, idProvince: '52', idSequence: 104 },
  /** Another county, another prefecture: bank B's borrower there. */
  hX: { ref: 'HSECHX0000005', county: C2, village: V2, status: 'REGISTERED_POOR', name: '钱七', phone: '13500004444', masked: { name: '钱*', phone: '135****4444' }, idProvince: '51', idSequence: 105 },
  /** Not in the registry, no contracts. */
  hO: { ref: 'HSECH00000006', county: C1, village: V1, status: 'OTHER', name: '孙八', phone: null, masked: { name: '孙*', phone: null }, idProvince: '52', idSequence: 106 },
} as const satisfies Record<string, HouseholdSpec>;
export type HouseholdKey = keyof typeof HOUSEHOLDS;
export const HOUSEHOLD_KEYS = Object.keys(HOUSEHOLDS) as HouseholdKey[];

/** A loan: bank, borrower, county; `links` are LINKED policies and guarantees. */
export const LOANS = {
  LA: { ref: 'SECA-2019-0001', bank: 'SEC-BANK-A', household: 'hA', enterprise: null, county: C1, product: 'POVERTY_MICROCREDIT', principal: '50000.00', disbursedOn: '2019-03-15', maturesOn: '2022-03-14' },
  LE: { ref: 'SECA-2019-0100', bank: 'SEC-BANK-A', household: null, enterprise: 'eA', county: C1, product: 'INDUSTRIAL', principal: '800000.00', disbursedOn: '2019-06-01', maturesOn: '2021-05-31' },
  LB: { ref: 'SECB-2019-0007', bank: 'SEC-BANK-B', household: 'hB', enterprise: null, county: C1, product: 'POVERTY_MICROCREDIT', principal: '30000.00', disbursedOn: '2019-04-10', maturesOn: '2022-04-09' },
  LX: { ref: 'SECB-2020-0042', bank: 'SEC-BANK-B', household: 'hX', enterprise: null, county: C2, product: 'POVERTY_MICROCREDIT', principal: '20000.00', disbursedOn: '2020-01-20', maturesOn: '2023-01-19' },
} as const;
export type LoanKey = keyof typeof LOANS;

export const POSITIONS = {
  /** June 2020 as first reported: superseded by pA6, still addressable by id. */
  pA6v1: { loan: 'LA', monthEnd: '2020-06-30', version: 1, latest: false, balance: '45000.00', overduePrincipal: '0.00', overdueDays: 0, fiveClass: 'NORMAL' },
  pA6: { loan: 'LA', monthEnd: '2020-06-30', version: 2, latest: true, balance: '40000.00', overduePrincipal: '5000.00', overdueDays: 35, fiveClass: 'SPECIAL_MENTION' },
  pA12: { loan: 'LA', monthEnd: '2020-12-31', version: 1, latest: true, balance: '30000.00', overduePrincipal: '0.00', overdueDays: 0, fiveClass: 'NORMAL' },
  pE12: { loan: 'LE', monthEnd: '2020-12-31', version: 1, latest: true, balance: '700000.00', overduePrincipal: '0.00', overdueDays: 0, fiveClass: 'NORMAL' },
  pB12: { loan: 'LB', monthEnd: '2020-12-31', version: 1, latest: true, balance: '25000.00', overduePrincipal: '0.00', overdueDays: 0, fiveClass: 'NORMAL' },
  pX12: { loan: 'LX', monthEnd: '2020-12-31', version: 1, latest: true, balance: '20000.00', overduePrincipal: '2000.00', overdueDays: 95, fiveClass: 'SUBSTANDARD' },
} as const;
export type PositionKey = keyof typeof POSITIONS;

export const POLICIES = {
  /** Insurer 1's credit-linked group policy covering bank A's LA; hI on its insured list, hA not. */
  P1: { ref: 'SECI1-CL-2019-1', insurer: 'SEC-INS-1', county: C1, line: 'CREDIT_LINKED', holderKind: 'GROUP', holder: null, insured: ['hI'], linkedTo: 'LA', sumInsured: '50000.00' },
  /** Insurer 2's crop policy held by hI, linked to nothing. */
  P2: { ref: 'SECI2-CROP-2020-9', insurer: 'SEC-INS-2', county: C1, line: 'CROP', holderKind: 'HOUSEHOLD', holder: 'hI', insured: [], linkedTo: null, sumInsured: '3000.00' },
} as const;
export type PolicyKey = keyof typeof POLICIES;

export const CLAIMS = {
  /** On the group policy, paying its insured hI. */
  CL1: { ref: 'SECI1-CLM-2020-1', policy: 'P1', household: 'hI', cause: 'CREDIT_DEFAULT', paidAmount: '4000.00' },
  CL2: { ref: 'SECI2-CLM-2020-2', policy: 'P2', household: null, cause: 'FLOOD', paidAmount: '1200.00' },
} as const;
export type ClaimKey = keyof typeof CLAIMS;

export const GUARANTEES = {
  /** Guarantor 1 on bank A's LA (LINKED). */
  G1: { ref: 'SECG1-2019-88', guarantor: 'SEC-GUA-1', household: 'hA', county: C1, amount: '40000.00', linkedTo: 'LA', pendingRef: null },
  /** Guarantor 2 for hG, naming a bank A loan not reported yet: PENDING. */
  G2: { ref: 'SECG2-2020-13', guarantor: 'SEC-GUA-2', household: 'hG', county: C1, amount: '20000.00', linkedTo: null, pendingRef: 'SECA-2021-0999' },
} as const;
export type GuaranteeKey = keyof typeof GUARANTEES;

export const ENTERPRISES = {
  eA: { creditCode: '91522326MA6DC0XY1B', name: '望谟县安全种养专业合作社', county: C1, village: V1 },
} as const;
export type EnterpriseKey = keyof typeof ENTERPRISES;

/** One status change per household (the current status), keyed `s` + household key. */
export const STATUS_CHANGES = {
  shA: { household: 'hA', status: 'REGISTERED_POOR', validFrom: '2016-03-01' },
  shB: { household: 'hB', status: 'LIFTED_OUT', validFrom: '2019-12-20' },
  shI: { household: 'hI', status: 'MARGINAL', validFrom: '2020-03-01' },
  shG: { household: 'hG', status: 'REGISTERED_POOR', validFrom: '2016-03-01' },
  shX: { household: 'hX', status: 'REGISTERED_POOR', validFrom: '2016-05-01' },
  shO: { household: 'hO', status: 'OTHER', validFrom: '2019-01-01' },
} as const;
export type StatusChangeKey = keyof typeof STATUS_CHANGES;

/** Records without a GraphQL type yet (their rows exist; paths over them run once the type does). */
export const OTHER_RECORDS = {
  CP1: { type: 'Compensation', ref: 'SECG1-CMP-2020-1' },
  alA: { type: 'Alert', ref: 'SEC-ALERT-A' },
  fnB: { type: 'Finding', ref: 'SEC-FINDING-B' },
  spA: { type: 'ServicePoint', ref: 'SECA-SP-01' },
} as const;
export type OtherKey = keyof typeof OTHER_RECORDS;

export type RecordKey = HouseholdKey | EnterpriseKey | LoanKey | PositionKey | PolicyKey | ClaimKey | GuaranteeKey | StatusChangeKey | OtherKey;

export const RECORD_TYPES: Record<RecordKey, NodeType> = {
  ...(Object.fromEntries(HOUSEHOLD_KEYS.map((k) => [k, 'Household'])) as Record<HouseholdKey, NodeType>),
  eA: 'Enterprise',
  ...(Object.fromEntries(Object.keys(LOANS).map((k) => [k, 'Loan'])) as Record<LoanKey, NodeType>),
  ...(Object.fromEntries(Object.keys(POSITIONS).map((k) => [k, 'LoanPosition'])) as Record<PositionKey, NodeType>),
  ...(Object.fromEntries(Object.keys(POLICIES).map((k) => [k, 'InsurancePolicy'])) as Record<PolicyKey, NodeType>),
  ...(Object.fromEntries(Object.keys(CLAIMS).map((k) => [k, 'Claim'])) as Record<ClaimKey, NodeType>),
  ...(Object.fromEntries(Object.keys(GUARANTEES).map((k) => [k, 'GuaranteeContract'])) as Record<GuaranteeKey, NodeType>),
  ...(Object.fromEntries(Object.keys(STATUS_CHANGES).map((k) => [k, 'HouseholdStatusChange'])) as Record<StatusChangeKey, NodeType>),
  ...(Object.fromEntries(Object.entries(OTHER_RECORDS).map(([k, v]) => [k, v.type])) as Record<OtherKey, NodeType>),
};

// ---------------------------------------------------------------------------------------
// Who sees what: DESIGN.md §3 applied to this world

/**
 * A cell of the visibility table.
 *
 * - `V` visible; `-` invisible (exactly like a record that does not exist);
 * - households: `F` full PII · `M` masked PII (`张*`, `138****5678`) · `N` visible
 *   without PII;
 * - consent (DESIGN.md §3, "seeing more of a partner's household … needs that
 *   household's consent"): `C` a household invisible without a live consent of it to
 *   the principal's institution and full with one; `c` another partner's contract
 *   linked to the same package, invisible without that consent and visible with it.
 *   The table's consent cells are about the one consent the suites switch: hA → insurer 1.
 */
export type SeeCell = 'V' | '-' | 'F' | 'M' | 'N' | 'C' | 'c';

/**
 * Rows: records; columns: `PRINCIPAL_NAMES`. Loans' positions, policies' claims,
 * guarantees' compensations and households' status changes follow their parent. Why each
 * cell is what it is:
 *
 * - insurer 1 covers LA through the group policy P1, which does not list hA: it sees
 *   LA's contract facts but neither hA nor G1 (the household's other contract) unless
 *   hA consents to insurer 1;
 * - guarantor 1 guarantees LA for hA: it sees LA and hA (its counterparty), not P1;
 * - G2's link to bank A is pending: bank A does not see G2, guarantor 2 sees nothing of bank A;
 * - hI is insured by both insurers: each sees hI and only its own policy;
 * - regPref is scoped to prefecture 5223 (C1), so hX/LX in C2 are invisible to it;
 * - analyst (employed by bank A) and admin see no rows at all.
 */
const SEES_TABLE = `
  record  bankA bankB insurer1 insurer2 guarantor1 guarantor2 govC1 govC2 regPref regNation regNationPii analyst admin
  hA      F     -     C        -        F          -          F     -     M       M         F            -       -
  hB      -     F     -        -        -          -          F     -     M       M         F            -       -
  hI      -     -     F        F        -          -          F     -     M       M         F            -       -
  hG      -     -     -        -        -          F          F     -     M       M         F            -       -
  hX      -     F     -        -        -          -          -     F     -       M         F            -       -
  hO      -     -     -        -        -          -          F     -     M       M         F            -       -
  eA      V     -     -        -        -          -          V     -     V       V         V            -       -
  LA      V     -     V        -        V          -          V     -     V       V         V            -       -
  LE      V     -     -        -        -          -          V     -     V       V         V            -       -
  LB      -     V     -        -        -          -          V     -     V       V         V            -       -
  LX      -     V     -        -        -          -          -     V     -       V         V            -       -
  P1      V     -     V        -        -          -          V     -     V       V         V            -       -
  P2      -     -     -        V        -          -          V     -     V       V         V            -       -
  G1      V     -     c        -        V          -          V     -     V       V         V            -       -
  G2      -     -     -        -        -          V          V     -     V       V         V            -       -
  alA     V     -     -        -        -          -          V     -     V       V         V            -       -
  fnB     -     V     -        -        -          -          V     -     V       V         V            -       -
  spA     V     -     -        -        -          -          V     -     V       V         V            -       -
`;

function parseSees(table: string): Record<string, Record<PrincipalName, SeeCell>> {
  const [header, ...rows] = table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const columns = header.slice(1);
  if (columns.join() !== PRINCIPAL_NAMES.join()) {
    throw new Error(`SEES columns ${columns.join()} must be ${PRINCIPAL_NAMES.join()}`);
  }
  const result: Record<string, Record<PrincipalName, SeeCell>> = {};
  for (const [record, ...cells] of rows) {
    if (cells.length !== columns.length || !cells.every((cell) => /^[VFMNCc-]$/.test(cell))) {
      throw new Error(`SEES row ${record}: expected ${columns.length} cells of V F M N C c -`);
    }
    result[record] = Object.fromEntries(columns.map((column, i) => [column, cells[i]])) as Record<PrincipalName, SeeCell>;
  }
  return result;
}

const DIRECT_SEES = parseSees(SEES_TABLE);

/** The record whose visibility a record follows (itself for those in the table). */
export function visibilityParent(key: RecordKey): RecordKey {
  if (key in POSITIONS) return POSITIONS[key as PositionKey].loan;
  if (key in CLAIMS) return CLAIMS[key as ClaimKey].policy;
  if (key in STATUS_CHANGES) return STATUS_CHANGES[key as StatusChangeKey].household;
  if (key === 'CP1') return 'G1';
  return key;
}

/** Whether the switched consent (hA → insurer 1) is live. */
export interface ViewState {
  consent: boolean;
}

export const NO_CONSENT: ViewState = { consent: false };

/**
 * What `principal` sees of `record`: `V`/`-` for contracts, `F`/`M`/`N`/`-` for
 * households (a `C` cell resolved by the consent state). Households' status changes
 * are `V` when their household is visible at any PII level.
 */
export function sees(record: RecordKey, principal: PrincipalName, state: ViewState = NO_CONSENT): Exclude<SeeCell, 'C'> {
  const parent = visibilityParent(record);
  const row = DIRECT_SEES[parent];
  if (row === undefined) throw new Error(`SEES has no row for ${parent}`);
  let cell = row[principal];
  if (cell === 'C') cell = state.consent ? 'F' : '-';
  if (cell === 'c') cell = state.consent ? 'V' : '-';
  if (parent !== record && cell !== '-') return 'V';
  return cell;
}

/** True when the principal sees the record (at any PII level). */
export function visible(record: RecordKey, principal: PrincipalName, state: ViewState = NO_CONSENT): boolean {
  return sees(record, principal, state) !== '-';
}

/** Records a principal may see in some consent state: their names may appear in its responses. */
export function everVisible(record: RecordKey, principal: PrincipalName): boolean {
  return visible(record, principal, { consent: false }) || visible(record, principal, { consent: true });
}


// ---------------------------------------------------------------------------------------
// Global ids and the committed schema

/** The global id format is part of the contract: base64url of `<TypeName>:<key>`. */
export const gid = (type: string, key: string): string => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

/**
 * The committed SDL (`tests/schema.test.ts` keeps it equal to what the server builds),
 * read synchronously so that suites can register tests for the fields that exist and
 * skip, visibly, those that have not landed yet.
 */
export const COMMITTED_SCHEMA: GraphQLSchema = buildSdlSchema(readFileSync(join(projectRoot(), 'schema.graphql'), 'utf8'));

/** True when `Type.field` (or a type name alone) exists in the committed schema. */
export function schemaHas(coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.');
  const type = COMMITTED_SCHEMA.getType(typeName);
  if (type === undefined || type === null) return false;
  if (fieldName === undefined) return true;
  return 'getFields' in type && Object.prototype.hasOwnProperty.call(type.getFields(), fieldName);
}

// ---------------------------------------------------------------------------------------
// Seeding

/** What seeding produced: database ids, tokens, and the secrets that must never leak. */
export interface World {
  /** Database id of every record, institution (by code) and batch. */
  ids: Record<string, string>;
  /** The key of a record inside its global id (ref, credit code or database id). */
  nodeKeys: Record<RecordKey, string>;
  /** Bearer token of each principal. */
  tokens: Record<PrincipalName, string>;
  keyIds: Record<PrincipalName, string>;
  /** The heads' national ID numbers and their match hashes (hex): never in any response. */
  nationalIds: string[];
  matchHashes: Buffer[];
}

/** The global id of a record. */
export function recordGid(world: World, key: RecordKey): string {
  return gid(RECORD_TYPES[key], world.nodeKeys[key]);
}

/**
 * Distinctive strings naming a record: its global id, refs, names, phone numbers (full
 * and masked), credit code. None may appear in a response to a principal that may not
 * see the record (unless the request itself carried it).
 */
export function recordTokens(world: World, key: RecordKey): string[] {
  const tokens = [recordGid(world, key)];
  if (key in HOUSEHOLDS) {
    const h = HOUSEHOLDS[key as HouseholdKey];
    tokens.push(h.ref, h.name, h.masked.name);
    if (h.phone !== null) tokens.push(h.phone, h.masked.phone as string);
  } else if (key in LOANS) tokens.push(LOANS[key as LoanKey].ref);
  else if (key in POLICIES) tokens.push(POLICIES[key as PolicyKey].ref);
  else if (key in CLAIMS) tokens.push(CLAIMS[key as ClaimKey].ref);
  else if (key in GUARANTEES) tokens.push(GUARANTEES[key as GuaranteeKey].ref);
  else if (key in ENTERPRISES) tokens.push(ENTERPRISES[key as EnterpriseKey].creditCode, ENTERPRISES[key as EnterpriseKey].name);
  else if (key in OTHER_RECORDS) tokens.push(OTHER_RECORDS[key as OtherKey].ref);
  return tokens;
}

export const ALL_RECORD_KEYS = Object.keys(RECORD_TYPES) as RecordKey[];

/** The business tables whose rows seeding writes (for snapshots; audit and usage excluded). */
export const NON_BUSINESS_TABLES = new Set(['audit_log', 'usage_counter', 'mikro_orm_migrations']);

async function insert(client: Client, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const result = await client.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text AS id`,
    Object.values(row),
  );
  return result.rows[0].id;
}

/** Seeds the world into an empty (freshly cloned) test database and issues its keys. */
export async function seedWorld(url: string): Promise<World> {
  return withClient(url, async (client) => {
    const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');
    const matchKeyring = parseKeyring(MATCH_KEYS, 'TRIPOD_MATCH_KEYS');
    const ids: Record<string, string> = {};
    const nodeKeys = {} as Record<RecordKey, string>;

    for (const [code, institution] of Object.entries(INSTITUTIONS)) {
      ids[code] = await insert(client, 'institution', { code, name: institution.name, kind: institution.kind, home_area_code: institution.home });
      ids[`batch:${code}`] = await insert(client, 'ingest_batch', {
        institution_id: ids[code],
        external_id: `${code.toLowerCase()}-2020`,
        kind: 'seed',
        payload_hash: 'e'.repeat(64),
        item_count: 1,
      });
    }
    const by = (code: InstitutionCode) => ({ source_institution_id: ids[code], batch_id: ids[`batch:${code}`], received_at: '2020-12-31T08:00:00Z' });

    const nationalIds: string[] = [];
    const matchHashes: Buffer[] = [];
    for (const key of HOUSEHOLD_KEYS) {
      const h: HouseholdSpec = HOUSEHOLDS[key];
      const status = STATUS_CHANGES[`s${key}` as StatusChangeKey];
      ids[key] = await insert(client, 'household', {
        ...by(h.county === C2 ? 'SEC-GOV-C2' : 'SEC-GOV-C1'),
        ref: h.ref,
        village_code: h.village,
        county_code: h.county,
        status: h.status,
        status_since: status.validFrom,
        exit_year: h.status === 'LIFTED_OUT' ? 2019 : null,
        registered_on: h.status === 'OTHER' ? null : '2016-03-01',
        name_enc: encryptPii(piiKeyring, h.name),
        phone_enc: h.phone === null ? null : encryptPii(piiKeyring, h.phone),
        pii_key_version: 1,
      });
      nodeKeys[key] = h.ref;
      const nationalId = syntheticNationalId(h.idProvince, '1975-05-20', h.idSequence);
      const hash = matchHash(matchKeyring, nationalId);
      nationalIds.push(nationalId);
      matchHashes.push(hash.hash);
      await client.query('INSERT INTO household_identity (household_id, county_code, key_version, match_hash) VALUES ($1, $2, $3, $4)', [
        ids[key],
        h.county,
        hash.version,
        hash.hash,
      ]);
    }
    for (const [key, change] of Object.entries(STATUS_CHANGES)) {
      const household = HOUSEHOLDS[change.household];
      ids[key] = await insert(client, 'household_status_change', {
        ...by(household.county === C2 ? 'SEC-GOV-C2' : 'SEC-GOV-C1'),
        household_id: ids[change.household],
        county_code: household.county,
        status: change.status,
        valid_from: change.validFrom,
        exit_year: change.status === 'LIFTED_OUT' ? 2019 : null,
      });
      nodeKeys[key as StatusChangeKey] = ids[key];
    }

    for (const [key, e] of Object.entries(ENTERPRISES)) {
      ids[key] = await insert(client, 'enterprise', {
        ...by('SEC-BANK-A'),
        credit_code: e.creditCode,
        name: e.name,
        kind: 'COOPERATIVE',
        county_code: e.county,
        village_code: e.village,
        poverty_driving: true,
      });
      nodeKeys[key as EnterpriseKey] = e.creditCode;
    }

    for (const [key, loan] of Object.entries(LOANS)) {
      ids[key] = await insert(client, 'loan', {
        ...by(loan.bank),
        institution_id: ids[loan.bank],
        ref: loan.ref,
        county_code: loan.county,
        product: loan.product,
        borrower_kind: loan.household === null ? 'ENTERPRISE' : 'HOUSEHOLD',
        household_id: loan.household === null ? null : ids[loan.household],
        enterprise_id: loan.enterprise === null ? null : ids[loan.enterprise],
        principal: loan.principal,
        disbursed_on: loan.disbursedOn,
        matures_on: loan.maturesOn,
        annual_rate: '0.0435',
        subsidy_rate: loan.product === 'POVERTY_MICROCREDIT' ? '0.0435' : null,
        guarantee_mode: key === 'LA' ? 'MIXED' : 'CREDIT',
        paid_to_account: loan.household === null ? 'COOPERATIVE' : 'HOUSEHOLD',
      });
      nodeKeys[key as LoanKey] = ids[key];
    }
    for (const [key, p] of Object.entries(POSITIONS)) {
      const loan = LOANS[p.loan];
      ids[key] = await insert(client, 'loan_position', {
        ...by(loan.bank),
        loan_id: ids[p.loan],
        county_code: loan.county,
        institution_id: ids[loan.bank],
        month_end: p.monthEnd,
        version: p.version,
        is_latest: p.latest,
        balance: p.balance,
        overdue_principal: p.overduePrincipal,
        overdue_days: p.overdueDays,
        five_class: p.fiveClass,
      });
      nodeKeys[key as PositionKey] = ids[key];
    }

    for (const [key, p] of Object.entries(POLICIES)) {
      ids[key] = await insert(client, 'insurance_policy', {
        ...by(p.insurer),
        institution_id: ids[p.insurer],
        ref: p.ref,
        county_code: p.county,
        line: p.line,
        subject: p.line === 'CROP' ? '水稻' : '小额信贷保证保险',
        quantity: p.line === 'CROP' ? '5' : '1',
        unit: p.line === 'CROP' ? 'MU' : 'YUAN',
        sum_insured: p.sumInsured,
        premium: '100',
        central_share: '40',
        provincial_share: '25',
        county_share: '15',
        farmer_share: '20',
        poverty_fund_share: '0',
        starts_on: '2019-04-01',
        ends_on: '2022-03-31',
        holder_kind: p.holderKind,
        household_id: p.holder === null ? null : ids[p.holder],
      });
      nodeKeys[key as PolicyKey] = ids[key];
      for (const insured of p.insured) {
        await insert(client, 'policy_insured_household', {
          ...by(p.insurer),
          policy_id: ids[key],
          household_id: ids[insured],
          county_code: HOUSEHOLDS[insured].county,
          sum_insured: '5000',
        });
      }
    }
    for (const [key, c] of Object.entries(CLAIMS)) {
      const policy = POLICIES[c.policy];
      ids[key] = await insert(client, 'claim', {
        ...by(policy.insurer),
        policy_id: ids[c.policy],
        institution_id: ids[policy.insurer],
        ref: c.ref,
        county_code: policy.county,
        household_id: c.household === null ? null : ids[c.household],
        cause: c.cause,
        loss_on: '2020-07-01',
        agreed_on: '2020-07-20',
        agreed_amount: c.paidAmount,
        paid_on: '2020-07-25',
        paid_amount: c.paidAmount,
      });
      nodeKeys[key as ClaimKey] = ids[key];
    }
    for (const [key, g] of Object.entries(GUARANTEES)) {
      ids[key] = await insert(client, 'guarantee_contract', {
        ...by(g.guarantor),
        institution_id: ids[g.guarantor],
        ref: g.ref,
        county_code: g.county,
        borrower_kind: 'HOUSEHOLD',
        household_id: ids[g.household],
        guaranteed_amount: g.amount,
        fee_rate: '0.008',
        guarantor_share: '0.4',
        bank_share: '0.2',
        government_share: '0.1',
        reguarantee_share: '0.3',
        starts_on: '2019-03-15',
        ends_on: '2022-03-14',
      });
      nodeKeys[key as GuaranteeKey] = ids[key];
    }

    const link = async (contract: Record<string, string>, submitter: InstitutionCode, bankCode: string, loanRef: string, loanId: string | null) =>
      insert(client, 'contract_link', {
        ...by(submitter),
        ...contract,
        submitter_id: ids[submitter],
        bank_code: bankCode,
        loan_ref: loanRef,
        loan_id: loanId,
        status: loanId === null ? 'PENDING' : 'LINKED',
        linked_at: loanId === null ? null : '2020-12-31T08:00:00Z',
        county_code: C1,
      });
    for (const [key, p] of Object.entries(POLICIES)) {
      if (p.linkedTo !== null) await link({ policy_id: ids[key] }, p.insurer, LOANS[p.linkedTo].bank, LOANS[p.linkedTo].ref, ids[p.linkedTo]);
    }
    for (const [key, g] of Object.entries(GUARANTEES)) {
      if (g.linkedTo !== null) await link({ guarantee_id: ids[key] }, g.guarantor, LOANS[g.linkedTo].bank, LOANS[g.linkedTo].ref, ids[g.linkedTo]);
      if (g.pendingRef !== null) ids[`pending:${key}`] = await link({ guarantee_id: ids[key] }, g.guarantor, 'SEC-BANK-A', g.pendingRef, null);
    }

    ids.CP1 = await insert(client, 'compensation', {
      ...by('SEC-GUA-1'),
      guarantee_id: ids.G1,
      institution_id: ids['SEC-GUA-1'],
      ref: OTHER_RECORDS.CP1.ref,
      county_code: C1,
      amount: '10000',
      paid_on: '2020-12-20',
    });
    ids.spA = await insert(client, 'service_point', {
      ...by('SEC-BANK-A'),
      institution_id: ids['SEC-BANK-A'],
      ref: OTHER_RECORDS.spA.ref,
      kind: 'AGENT',
      name: '乐元村助农取款点',
      village_code: V1,
      county_code: C1,
      opened_on: '2018-01-01',
    });
    // Detail rows that follow their parent's visibility (a recovery, a month of activity).
    await insert(client, 'compensation_recovery', {
      ...by('SEC-GUA-1'),
      compensation_id: ids.CP1,
      ref: 'SECG1-REC-2021-1',
      county_code: C1,
      amount: '2500',
      recovered_on: '2021-03-15',
    });
    await insert(client, 'service_point_activity', { ...by('SEC-BANK-A'), service_point_id: ids.spA, county_code: C1, month: '2020-06-30', transactions: 42 });
    const ruleId = await insert(client, 'alert_rule', { code: 'SEC-OVERDUE', kind: 'MICROCREDIT_OVERDUE_RATIO', name: 'Security suite rule' });
    await insert(client, 'alert_rule_version', { rule_id: ruleId, version: 1, threshold: '0.05', severity: 'HIGH', created_by: 'security-world' });
    ids.alA = await insert(client, 'alert', {
      rule_id: ruleId,
      rule_version: 1,
      fingerprint: OTHER_RECORDS.alA.ref,
      subject_type: 'Loan',
      subject_id: ids.LA,
      county_code: C1,
      institution_id: ids['SEC-BANK-A'],
      observed: '0.125',
      threshold: '0.05',
      severity: 'HIGH',
      status: 'OPEN',
      message: 'Overdue ratio above threshold',
    });
    ids.fnB = await insert(client, 'finding', {
      ...by('SEC-REG-5223'),
      ref: OTHER_RECORDS.fnB.ref,
      source: 'INSPECTION',
      institution_id: ids['SEC-BANK-B'],
      county_code: C1,
      text: 'Loan files incomplete',
      found_on: '2020-09-01',
      due_on: '2020-12-31',
      status: 'OPEN',
    });
    for (const key of Object.keys(OTHER_RECORDS) as OtherKey[]) nodeKeys[key] = ids[key];

    // History: hA consented to insurer 1 once and revoked it; nothing is live.
    ids.consentHistory = await insert(client, 'consent', {
      ...by('SEC-GOV-C1'),
      household_id: ids.hA,
      institution_id: ids['SEC-INS-1'],
      county_code: C1,
      given_at: '2019-06-01T02:00:00Z',
      revoked_at: '2020-01-01T02:00:00Z',
      evidence: 'form SEC-0001',
    });

    const tokens = {} as Record<PrincipalName, string>;
    const keyIds = {} as Record<PrincipalName, string>;
    for (const name of PRINCIPAL_NAMES) {
      const spec: PrincipalSpec = PRINCIPALS[name];
      const issued = await issueApiKey(client, {
        institutionCode: spec.institution,
        role: spec.role,
        areaCodes: spec.areaCodes ?? [],
        piiGranted: spec.piiGranted ?? false,
        label: `security suite ${name}`,
        createdBy: 'security-world',
      });
      tokens[name] = issued.token;
      keyIds[name] = issued.keyId;
    }
    return { ids, nodeKeys, tokens, keyIds, nationalIds, matchHashes };
  });
}

// ---------------------------------------------------------------------------------------
// Consent switches (the consent mutations are another team's; these write the rows directly)

/** Records a live consent of `household` to `institution`. */
export async function giveConsent(pool: Pool, world: World, household: HouseholdKey, institution: InstitutionCode): Promise<void> {
  await pool.query(
    `INSERT INTO consent (source_institution_id, batch_id, household_id, institution_id, county_code, given_at, evidence)
     VALUES ($1, $2, $3, $4, $5, now(), 'security suite')`,
    [world.ids['SEC-GOV-C1'], world.ids['batch:SEC-GOV-C1'], world.ids[household], world.ids[institution], HOUSEHOLDS[household].county],
  );
}

/** Revokes every live consent of `household` to `institution`. */
export async function revokeConsent(pool: Pool, world: World, household: HouseholdKey, institution: InstitutionCode): Promise<void> {
  await pool.query(`UPDATE consent SET revoked_at = now(), revoked_by_id = $3 WHERE household_id = $1 AND institution_id = $2 AND revoked_at IS NULL`, [
    world.ids[household],
    world.ids[institution],
    world.ids['SEC-GOV-C1'],
  ]);
}

// ---------------------------------------------------------------------------------------
// The server and the client

/** Who a request authenticates as: a principal's key, raw headers, or nobody. */
export type Caller = PrincipalName | { headers: Record<string, string>; as?: PrincipalName } | null;

export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  locations?: unknown;
  extensions?: Record<string, unknown>;
}

export interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: GraphQLError[];
}

export interface GqlResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the response was not JSON. */
  body: GraphQLBody;
  text: string;
}

/** One exchange, kept for the leak scan. */
export interface LoggedExchange {
  /** Whose rows the response may contain; null: nobody's. */
  principal: PrincipalName | null;
  request: string;
  status: number;
  contentType: string;
  text: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whose rows the response may contain, for the leak scan. */
  as?: PrincipalName | null;
}

/** An HTTP client for one server that records every exchange. */
export class SecurityClient {
  constructor(
    readonly baseUrl: string,
    private readonly world: () => World,
    readonly log: LoggedExchange[],
  ) {}

  /** The `Authorization` header of a principal. */
  authorization(principal: PrincipalName): Record<string, string> {
    return { authorization: `Bearer ${this.world().tokens[principal]}` };
  }

  /** POSTs one GraphQL operation as JSON. */
  async gql(caller: Caller, query: string, variables: Record<string, unknown> = {}, extra: { operationName?: string; extensions?: Record<string, unknown> } = {}): Promise<GqlResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let as: PrincipalName | null = null;
    if (typeof caller === 'string') {
      Object.assign(headers, this.authorization(caller));
      as = caller;
    } else if (caller !== null) {
      Object.assign(headers, caller.headers);
      as = caller.as ?? null;
    }
    const response = await this.raw({ method: 'POST', headers, body: JSON.stringify({ query, variables, ...extra }), as });
    return response;
  }

  /** Any HTTP request to the server; JSON responses are parsed into `body`. */
  async raw(request: RawRequest): Promise<GqlResponse> {
    const response = await fetch(`${this.baseUrl}${request.path ?? '/graphql'}`, {
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body,
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let body: GraphQLBody = {};
    if (contentType.includes('json')) {
      try {
        body = JSON.parse(text) as GraphQLBody;
      } catch {
        body = {};
      }
    }
    const requestText = request.body ?? '';
    this.log.push({ principal: request.as ?? null, request: `${request.path ?? ''} ${requestText}`, status: response.status, contentType, text });
    return { status: response.status, headers: response.headers, body, text };
  }
}

export interface StartedServer {
  app: FastifyInstance;
  baseUrl: string;
  client: SecurityClient;
}

export interface WorldServerOptions {
  /** Config overrides as environment variables (e.g. `{ NODE_ENV: 'production', DATABASE_URL: … }`). */
  env?: Record<string, string>;
  limits?: LimitsEnvironment;
  rateLimiter?: RateLimiter;
  /** Anything else `createServer` takes (never a `principalResolver`: the world authenticates for real). */
  server?: Omit<Partial<ServerOptions>, 'orm' | 'config' | 'principalResolver' | 'limits' | 'rateLimiter'>;
}

/**
 * Starts a server on the world's database exactly as production does: the default
 * credentials resolver (API keys and JWTs), listening on an ephemeral port.
 */
export async function startWorldServer(orm: MikroORM, world: () => World, log: LoggedExchange[], options: WorldServerOptions = {}): Promise<StartedServer> {
  const app = await createServer({
    orm,
    config: worldConfig(options.env),
    limits: options.limits,
    rateLimiter: options.rateLimiter,
    ...options.server,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, baseUrl, client: new SecurityClient(baseUrl, world, log) };
}

export interface SecurityWorld {
  db: TestDatabase;
  world: World;
  orm: MikroORM;
  /** A plain pool on the world's database, for assertions and switches. */
  pool: Pool;
  /** The main server (default limits unless `useSecurityWorld` was given others). */
  server: StartedServer;
  client: SecurityClient;
  /** POSTs a GraphQL operation to the main server as `caller`. */
  gql: SecurityClient['gql'];
  /** Every exchange of every server of this file, for `findLeaks`. */
  log: LoggedExchange[];
  /** Starts another server on the same world (closed at teardown). */
  startServer(options?: WorldServerOptions): Promise<StartedServer>;
}

/**
 * Registers the hooks that give a test file the world: its own database, the seeded
 * rows and keys, an ORM, a pool and a running server. Call once, at the top level.
 */
export function useSecurityWorld(options: WorldServerOptions = {}): SecurityWorld {
  const db = useTestDatabase();
  const log: LoggedExchange[] = [];
  let world: World | undefined;
  let orm: MikroORM | undefined;
  let pool: Pool | undefined;
  let server: StartedServer | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The security world's ${what} exists only after beforeAll`);
    return value;
  };
  const getWorld = () => need(world, 'data');

  const startServer = async (serverOptions: WorldServerOptions = {}): Promise<StartedServer> => {
    const started = await startWorldServer(need(orm, 'ORM'), getWorld, log, serverOptions);
    db.onTeardown(() => started.app.close());
    return started;
  };

  beforeAll(async () => {
    world = await seedWorld(db.url());
    orm = await createOrm({ url: db.url() });
    db.onTeardown(() => orm?.close(true));
    pool = new Pool({ connectionString: db.url(), max: 4 });
    pool.on('error', () => undefined);
    db.onTeardown(() => pool?.end());
    server = await startServer(options);
  });

  return {
    db,
    get world() {
      return getWorld();
    },
    get orm() {
      return need(orm, 'ORM');
    },
    get pool() {
      return need(pool, 'pool');
    },
    get server() {
      return need(server, 'server');
    },
    get client() {
      return need(server, 'server').client;
    },
    gql: (...args) => need(server, 'server').client.gql(...args),
    log,
    startServer,
  };
}

// ---------------------------------------------------------------------------------------
// Leak scan and data snapshots

/** Text that only a failing database or a crash puts in a response. */
const INTERNALS: ReadonlyArray<[RegExp, string]> = [
  [/\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]{0,200}\b(FROM|WHERE|VALUES|SET)\b/, 'SQL text'],
  [/\bselect\b[\s\S]{0,200}\bfrom\b[\s\S]{0,100}\bwhere\b/, 'SQL text'],
  [/syntax error at or near|violates .* constraint|invalid input syntax for|relation "[a-z_]+"|column "[a-z_]+"|duplicate key value/i, 'a PostgreSQL error'],
  [/\n\s+at .+\((\/|node:|[A-Za-z]:\\)/, 'a stack trace'],
  [/node_modules|\/src\/[a-z-/]+\.ts|\.ts:\d+:\d+/, 'a source path'],
  [/(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/, 'a national ID number'],
];

/**
 * Every problem found in the logged exchanges: internals (SQL, stack traces, source
 * paths, ID numbers), the world's national ID numbers and match hashes, and names of
 * records the responding principal may never see. A string the request itself carried
 * is not counted (error messages may quote the input).
 */
export function findLeaks(world: World, log: readonly LoggedExchange[]): string[] {
  const secrets = [
    ...world.nationalIds,
    ...world.matchHashes.flatMap((hash) => [hash.toString('hex'), hash.toString('base64'), hash.toString('base64url')]),
  ];
  const invisibleTo = new Map<PrincipalName | null, Array<[RecordKey, string]>>();
  const tokensFor = (principal: PrincipalName | null): Array<[RecordKey, string]> => {
    let tokens = invisibleTo.get(principal);
    if (tokens === undefined) {
      tokens = ALL_RECORD_KEYS.filter((key) => principal === null || !everVisible(key, principal)).flatMap((key) =>
        recordTokens(world, key).map((token): [RecordKey, string] => [key, token]),
      );
      invisibleTo.set(principal, tokens);
    }
    return tokens;
  };

  const problems: string[] = [];
  for (const exchange of log) {
    // The explorer page is static HTML: nothing from the database reaches it.
    if (exchange.contentType.startsWith('text/html')) continue;
    const where = `${exchange.principal ?? 'anonymous'} ${exchange.status} ${exchange.request.slice(0, 160).replace(/\s+/g, ' ')}`;
    for (const secret of secrets) {
      if (exchange.text.includes(secret)) problems.push(`${where}: a national ID number or match hash`);
    }
    for (const [key, token] of tokensFor(exchange.principal)) {
      if (exchange.text.includes(token) && !exchange.request.includes(token)) problems.push(`${where}: names invisible record ${key} (${token})`);
    }
    for (const [pattern, what] of INTERNALS) {
      const match = pattern.exec(exchange.text);
      if (match !== null && !exchange.request.includes(match[0])) problems.push(`${where}: ${what}: ${match[0].slice(0, 80)}`);
    }
  }
  return [...new Set(problems)];
}

/** Row count and content checksum of every business table. */
export async function businessSnapshot(pool: Pool): Promise<Record<string, string>> {
  const tables = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const snapshot: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (NON_BUSINESS_TABLES.has(name)) continue;
    const result = await pool.query<{ n: string; sum: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS sum FROM "${name.replace(/"/g, '""')}" t`,
    );
    snapshot[name] = `${result.rows[0].n} rows ${result.rows[0].sum ?? '-'}`;
  }
  return snapshot;
}
