/**
 * The world the query-surface tests share (connections, nested fields): two counties of
 * Guizhou, two banks, an insurer, a guarantor, a county government and a central-bank
 * branch; households of every status with dated histories; loans with month-end
 * positions (one month re-reported), versions, a deferral and a repayment; single and
 * group policies with claims; guarantees with a compensation; re-lending, a risk fund,
 * service points, a disaster, a docking event, findings and alerts — seeded in SQL into
 * the test file's own database, and a server over real HTTP where tests name their
 * principal in the `x-test-principal` header.
 */
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { withClient } from '../../src/db/admin';
import { createOrm } from '../../src/db/orm';
import { createServer } from '../../src/server';
import type { Principal } from '../../src/services/access';
import { encryptPii, parseKeyring } from '../../src/services/identity';
import type { LimitsEnvironment } from '../../src/services/limits';
import type { TestDatabase } from '../helpers';

const PII_KEYS = `v1:${Buffer.alloc(32, 7).toString('base64')}`;
const MATCH_KEYS = `v1:${Buffer.alloc(32, 9).toString('base64')}`;
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII_KEYS, TRIPOD_MATCH_KEYS: MATCH_KEYS, LOG_LEVEL: 'silent' });
const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');

/** 望谟县 (county A) with two villages of 乐元镇, and 晴隆县 (county B). */
export const A = '522326';
export const TOWNSHIP_A = '522326101';
export const VA1 = '522326101201';
export const VA2 = '522326101202';
export const B = '522324';
export const VB1 = '522324001001';

export const HA1 = 'H00000000000A';
export const HA2 = 'H00000000000B';
export const HA3 = 'H00000000000C';
export const HA4 = 'H00000000000D';
export const HB1 = 'H00000000000E';

export const E1 = '91522326MA6DL0XX1B';
export const E2 = '91522324MA6DL0XX2C';

/** The global id format: base64url of `<TypeName>:<key>`. */
export const gid = (type: string, key: string): string => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');

export async function insert(client: Client, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const result = await client.query<{ id: string }>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`, Object.values(row));
  return String(result.rows[0].id);
}

export interface SurfaceWorld {
  ids: Record<string, string>;
  principals: Record<string, Principal>;
}

export async function seedSurface(client: Client): Promise<SurfaceWorld> {
  const ids: Record<string, string> = {};
  const institution = (code: string, name: string, kind: string, homeArea: string) =>
    insert(client, 'institution', { code, name, kind, home_area_code: homeArea });
  ids.bankA = await institution('TQ-BANK-A', '望谟农村商业银行', 'BANK', A);
  ids.bankB = await institution('TQ-BANK-B', '晴隆县村镇银行', 'BANK', B);
  ids.insurer = await institution('TQ-INS', '人保财险黔西南分公司', 'INSURER', '5223');
  ids.guarantor = await institution('TQ-GUA', '贵州省农业信贷融资担保公司', 'GUARANTOR', '52');
  ids.govA = await institution('TQ-GOV-A', '望谟县人民政府', 'GOVERNMENT', A);
  ids.pbc = await institution('TQ-PBC', '人民银行黔西南州中心支行', 'CENTRAL_BANK', '5223');
  ids.cbirc = await institution('TQ-CBIRC', '黔西南银保监分局', 'REGULATOR', '5223');

  const batch = (institutionId: string, externalId: string) =>
    insert(client, 'ingest_batch', { institution_id: institutionId, external_id: externalId, kind: 'test', payload_hash: 'e'.repeat(64), item_count: 1 });
  const by = async (institutionId: string, externalId: string, receivedAt: string) => ({
    source_institution_id: institutionId,
    batch_id: await batch(institutionId, externalId),
    received_at: receivedAt,
  });
  const fromGov = await by(ids.govA, 'gov-1', '2019-12-21T02:00:00Z');
  const fromBankA = await by(ids.bankA, 'bank-a-1', '2019-03-16T01:00:00Z');
  const fromBankAPositions = await by(ids.bankA, 'bank-a-positions', '2021-01-05T02:00:00Z');
  const fromBankB = await by(ids.bankB, 'bank-b-1', '2020-02-01T01:00:00Z');
  const fromInsurer = await by(ids.insurer, 'ins-1', '2019-04-02T01:00:00Z');
  const fromGuarantor = await by(ids.guarantor, 'gua-1', '2019-03-20T01:00:00Z');
  const fromPbc = await by(ids.pbc, 'pbc-1', '2019-01-11T01:00:00Z');
  const fromCbirc = await by(ids.cbirc, 'cbirc-1', '2020-05-11T01:00:00Z');

  // Households and their registry histories.
  const household = (ref: string, village: string, county: string, name: string, status: string, since: string, extra: Record<string, unknown> = {}) =>
    insert(client, 'household', {
      ...fromGov,
      ref,
      village_code: village,
      county_code: county,
      name_enc: encryptPii(piiKeyring, name),
      pii_key_version: 1,
      status,
      status_since: since,
      ...extra,
    });
  ids.ha1 = await household(HA1, VA1, A, '张三', 'LIFTED_OUT', '2019-12-20', { exit_year: 2019, registered_on: '2016-03-01', attribute: 'GENERAL', size: 4 });
  ids.ha2 = await household(HA2, VA2, A, '李四', 'REGISTERED_POOR', '2016-05-01', { registered_on: '2016-05-01', attribute: 'SUBSISTENCE_ALLOWANCE', size: 2 });
  ids.ha3 = await household(HA3, VA1, A, '王五', 'MARGINAL', '2020-03-01');
  ids.ha4 = await household(HA4, VA1, A, '赵六', 'OTHER', '2019-01-01');
  ids.hb1 = await household(HB1, VB1, B, '钱七', 'REGISTERED_POOR', '2016-03-01', { registered_on: '2016-03-01' });
  const change = (householdId: string, county: string, status: string, validFrom: string, extra: Record<string, unknown> = {}) =>
    insert(client, 'household_status_change', { ...fromGov, household_id: householdId, county_code: county, status, valid_from: validFrom, ...extra });
  ids.sa1a = await change(ids.ha1, A, 'REGISTERED_POOR', '2016-03-01', { reason: '因病' });
  ids.sa1b = await change(ids.ha1, A, 'LIFTED_OUT', '2019-12-20', { exit_year: 2019 });
  ids.sa2 = await change(ids.ha2, A, 'REGISTERED_POOR', '2016-05-01');
  ids.sa3 = await change(ids.ha3, A, 'MARGINAL', '2020-03-01');
  ids.sa4 = await change(ids.ha4, A, 'OTHER', '2019-01-01');
  ids.sb1 = await change(ids.hb1, B, 'REGISTERED_POOR', '2016-03-01');

  ids.e1 = await insert(client, 'enterprise', {
    ...fromBankA, credit_code: E1, name: '望谟县乐元种养专业合作社', kind: 'COOPERATIVE', county_code: A, village_code: VA1, poverty_driving: true,
  });
  ids.e2 = await insert(client, 'enterprise', { ...fromBankB, credit_code: E2, name: '晴隆县茶业有限公司', kind: 'COMPANY', county_code: B, poverty_driving: false });
  for (const [mode, households, asOf] of [['EMPLOYMENT', 12, '2019-12-31'], ['EMPLOYMENT', 15, '2020-12-31'], ['DIVIDEND', 40, '2020-06-30']] as const) {
    await insert(client, 'enterprise_linkage', { ...fromBankA, enterprise_id: ids.e1, county_code: A, mode, households, as_of: asOf });
  }

  // Funding.
  ids.rf1 = await insert(client, 'relending_facility', {
    ...fromPbc, lender_id: ids.pbc, borrower_id: ids.bankA, ref: 'RL-001', county_code: A, amount: '1000000', annual_rate: '0.0175',
    drawn_on: '2019-01-10', due_on: '2020-01-09', rollovers: 1,
  });
  ids.f1 = await insert(client, 'risk_compensation_fund', {
    ...fromGov, government_id: ids.govA, ref: 'RCF-001', name: '望谟县扶贫小额信贷风险补偿金', county_code: A, capital: '2000000', leverage_cap: '10',
    established_on: '2018-06-01',
  });
  await insert(client, 'fund_bank_agreement', {
    ...fromGov, fund_id: ids.f1, bank_id: ids.bankA, county_code: A, fund_share: '0.7', bank_share: '0.3', valid_from: '2018-06-01',
  });

  // Loans.
  const loan = (from: Record<string, unknown>, row: Record<string, unknown>) =>
    insert(client, 'loan', {
      ...from, county_code: A, institution_id: ids.bankA, borrower_kind: 'HOUSEHOLD', annual_rate: '0.0435', guarantee_mode: 'CREDIT', paid_to_account: 'HOUSEHOLD', ...row,
    });
  ids.la1 = await loan(fromBankA, {
    ref: 'A-001', product: 'POVERTY_MICROCREDIT', household_id: ids.ha1, principal: '50000', disbursed_on: '2019-03-15', matures_on: '2022-03-14',
    subsidy_rate: '0.0435', guarantee_mode: 'GUARANTEE', relending_facility_id: ids.rf1, risk_compensation_fund_id: ids.f1, purpose: '养殖能繁母猪', version: 2,
  });
  ids.la2 = await loan(fromBankA, {
    ref: 'A-002', product: 'OTHER_AGRI', household_id: ids.ha1, principal: '8000.5', disbursed_on: '2019-05-01', matures_on: '2020-04-30',
    annual_rate: '0.0475', closed_on: '2020-04-28', closure: 'SETTLED',
  });
  ids.la3 = await loan(fromBankA, {
    ref: 'A-003', product: 'POVERTY_MICROCREDIT', household_id: ids.ha2, principal: '30000', disbursed_on: '2019-06-01', matures_on: '2022-05-31',
  });
  ids.la4 = await loan(fromBankA, {
    ref: 'A-004', product: 'INDUSTRIAL', borrower_kind: 'ENTERPRISE', enterprise_id: ids.e1, principal: '800000', disbursed_on: '2019-06-01',
    matures_on: '2021-05-31', paid_to_account: 'COOPERATIVE', guarantee_mode: 'GUARANTEE',
  });
  ids.la5 = await loan(fromBankA, {
    ref: 'A-005', product: 'INCLUSIVE_SMALL_MICRO', household_id: ids.ha3, principal: '50000', disbursed_on: '2020-02-10', matures_on: '2021-02-09',
  });
  ids.lb1 = await loan(fromBankB, {
    ref: 'B-001', county_code: B, institution_id: ids.bankB, product: 'POVERTY_MICROCREDIT', household_id: ids.hb1, principal: '30000',
    disbursed_on: '2020-01-20', matures_on: '2023-01-19',
  });
  const version = (loanId: string, v: number, terms: Record<string, unknown>, from: Record<string, unknown>) =>
    insert(client, 'record_version', { ...from, record_kind: 'LOAN', record_id: loanId, version: v, county_code: A, terms: JSON.stringify(terms), terms_hash: String(v).repeat(64) });
  const terms1 = {
    bankCode: 'TQ-BANK-A', ref: 'A-001', product: 'POVERTY_MICROCREDIT', principal: '50000.00', disbursedOn: '2019-03-15', maturesOn: '2022-03-14',
    annualRate: '0.047500', subsidyRate: '0.043500', guaranteeMode: 'GUARANTEE', paidToAccount: 'HOUSEHOLD', purpose: '养殖能繁母猪（待补正）',
  };
  ids.v1 = await version(ids.la1, 1, terms1, fromBankA);
  ids.v2 = await version(ids.la1, 2, { ...terms1, annualRate: '0.043500', purpose: '养殖能繁母猪' }, await by(ids.bankA, 'bank-a-corrections', '2019-04-20T01:00:00Z'));

  const position = (loanId: string, county: string, institutionId: string, monthEnd: string, v: number, latest: boolean, amounts: Record<string, unknown>) =>
    insert(client, 'loan_position', {
      ...fromBankAPositions, source_institution_id: institutionId, loan_id: loanId, county_code: county, institution_id: institutionId, month_end: monthEnd,
      version: v, is_latest: latest, overdue_principal: '0', overdue_days: 0, five_class: 'NORMAL', ...amounts,
    });
  ids.p1a = await position(ids.la1, A, ids.bankA, '2019-12-31', 1, true, { balance: '50000' });
  ids.p1b1 = await position(ids.la1, A, ids.bankA, '2020-06-30', 1, false, { balance: '45000' });
  ids.p1b = await position(ids.la1, A, ids.bankA, '2020-06-30', 2, true, {
    balance: '40000', overdue_principal: '5000', overdue_days: 35, five_class: 'SPECIAL_MENTION', subsidy_paid: '145',
  });
  ids.p1c = await position(ids.la1, A, ids.bankA, '2020-12-31', 1, true, { balance: '30000' });
  ids.p2a = await position(ids.la2, A, ids.bankA, '2019-12-31', 1, true, { balance: '4000' });
  ids.p3a = await position(ids.la3, A, ids.bankA, '2019-12-31', 1, true, { balance: '30000' });
  ids.p3b = await position(ids.la3, A, ids.bankA, '2020-06-30', 1, true, { balance: '30000', overdue_principal: '30000', overdue_days: 120, five_class: 'SUBSTANDARD' });
  ids.p3c = await position(ids.la3, A, ids.bankA, '2020-12-31', 1, true, { balance: '30000', overdue_principal: '30000', overdue_days: 200, five_class: 'DOUBTFUL' });
  ids.p4c = await position(ids.la4, A, ids.bankA, '2020-12-31', 1, true, { balance: '600000' });
  ids.pb1 = await position(ids.lb1, B, ids.bankB, '2020-12-31', 1, true, { balance: '25000' });

  // A disaster, the deferral it brought and a repayment.
  ids.d1 = await insert(client, 'disaster_event', { ...fromCbirc, ref: 'DIS-2020-1', kind: 'FLOOD', name: '2020年6月黔西南洪涝', starts_on: '2020-06-01', ends_on: '2020-07-31' });
  ids.da1 = await insert(client, 'disaster_area', { event_id: ids.d1, area_code: '5223' });
  ids.da2 = await insert(client, 'disaster_area', { event_id: ids.d1, area_code: TOWNSHIP_A });
  ids.m1 = await insert(client, 'loan_modification', {
    ...fromBankA, loan_id: ids.la3, institution_id: ids.bankA, ref: 'MOD-001', county_code: A, kind: 'DISASTER_DEFERRAL', effective_on: '2020-07-01',
    previous_matures_on: '2022-05-31', new_matures_on: '2022-11-30', disaster_event_id: ids.d1, classification_relief: true,
  });
  ids.r1 = await insert(client, 'repayment', {
    ...fromBankA, loan_id: ids.la3, institution_id: ids.bankA, ref: 'REP-001', county_code: A, paid_on: '2019-12-20', principal: '0', interest: '652.5',
  });

  // Insurance.
  const policy = (row: Record<string, unknown>) =>
    insert(client, 'insurance_policy', { ...fromInsurer, institution_id: ids.insurer, county_code: A, quantity: '1', unit: 'HOUSEHOLD', ...row });
  ids.pol1 = await policy({
    ref: 'INS-001', line: 'LIVESTOCK', subject: '能繁母猪', quantity: '10', unit: 'HEAD', sum_insured: '15000', premium: '900', central_share: '450',
    provincial_share: '225', county_share: '135', farmer_share: '90', poverty_fund_share: '0', starts_on: '2019-04-01', ends_on: '2020-03-31',
    holder_kind: 'HOUSEHOLD', household_id: ids.ha1,
  });
  ids.pol2 = await policy({
    ref: 'INS-002', line: 'CROP', subject: '水稻', quantity: '20', unit: 'MU', sum_insured: '40000', premium: '1200', central_share: '600',
    provincial_share: '300', county_share: '180', farmer_share: '120', poverty_fund_share: '0', starts_on: '2020-04-01', ends_on: '2020-11-30',
    holder_kind: 'GROUP',
  });
  ids.pol3 = await policy({
    ref: 'INS-003', line: 'CREDIT_LINKED', subject: '扶贫小额信贷保证保险', sum_insured: '30000', premium: '300', central_share: '0',
    provincial_share: '0', county_share: '0', farmer_share: '0', poverty_fund_share: '300', starts_on: '2019-06-01', ends_on: '2022-05-31',
    holder_kind: 'HOUSEHOLD', household_id: ids.ha2,
  });
  const insured = (householdId: string, quantity: string, sum: string, premium: string) =>
    insert(client, 'policy_insured_household', { ...fromInsurer, policy_id: ids.pol2, household_id: householdId, county_code: A, quantity, sum_insured: sum, premium });
  ids.pih1 = await insured(ids.ha1, '5', '10000', '300');
  ids.pih2 = await insured(ids.ha2, '10', '20000', '600');
  ids.pih4 = await insured(ids.ha4, '5', '10000', '300');
  const claim = (row: Record<string, unknown>) => insert(client, 'claim', { ...fromInsurer, institution_id: ids.insurer, county_code: A, ...row });
  ids.c1 = await claim({
    policy_id: ids.pol1, ref: 'CL-001', cause: 'EPIDEMIC', loss_on: '2019-09-10', agreed_on: '2019-09-20', agreed_amount: '3000', paid_on: '2019-09-25', paid_amount: '3000',
  });
  ids.c2 = await claim({
    policy_id: ids.pol2, ref: 'CL-002', household_id: ids.ha2, cause: 'FLOOD', disaster_event_id: ids.d1, loss_on: '2020-07-01', agreed_on: '2020-07-15',
    agreed_amount: '5000', paid_on: '2020-07-20', paid_amount: '5000',
  });
  ids.c3 = await claim({ policy_id: ids.pol2, ref: 'CL-003', household_id: ids.ha4, cause: 'FLOOD', disaster_event_id: ids.d1, loss_on: '2020-07-02' });

  // Guarantees.
  const guarantee = (row: Record<string, unknown>) =>
    insert(client, 'guarantee_contract', { ...fromGuarantor, institution_id: ids.guarantor, county_code: A, borrower_kind: 'HOUSEHOLD', ...row });
  ids.g1 = await guarantee({
    ref: 'GUA-001', household_id: ids.ha1, guaranteed_amount: '40000', fee_rate: '0.008', guarantor_share: '0.4', bank_share: '0.2', government_share: '0.1',
    reguarantee_share: '0.3', starts_on: '2019-03-15', ends_on: '2022-03-14',
  });
  ids.g2 = await guarantee({
    ref: 'GUA-002', household_id: ids.ha2, guaranteed_amount: '30000', fee_rate: '0.01', guarantor_share: '0.5', bank_share: '0.2', government_share: '0.2',
    reguarantee_share: '0.1', starts_on: '2019-06-01', ends_on: '2022-05-31',
  });
  ids.g3 = await guarantee({
    ref: 'GUA-003', borrower_kind: 'ENTERPRISE', enterprise_id: ids.e1, guaranteed_amount: '500000', fee_rate: '0.005', guarantor_share: '0.4',
    bank_share: '0.2', government_share: '0.1', reguarantee_share: '0.3', starts_on: '2019-06-01', ends_on: '2021-05-31', released_on: '2020-12-31',
  });
  ids.cp1 = await insert(client, 'compensation', {
    ...fromGuarantor, guarantee_id: ids.g2, institution_id: ids.guarantor, ref: 'CP-001', county_code: A, amount: '10000', paid_on: '2020-12-15',
  });
  await insert(client, 'compensation_recovery', { ...fromGuarantor, compensation_id: ids.cp1, ref: 'REC-001', county_code: A, amount: '2000', recovered_on: '2021-03-01' });

  const link = (contract: Record<string, string>, submitter: string, from: Record<string, unknown>, loanId: string | null, loanRef: string) =>
    insert(client, 'contract_link', {
      ...from, ...contract, submitter_id: submitter, bank_code: 'TQ-BANK-A', loan_ref: loanRef, loan_id: loanId, status: loanId === null ? 'PENDING' : 'LINKED',
      linked_at: loanId === null ? null : '2019-07-01T00:00:00Z', county_code: A,
    });
  await link({ policy_id: ids.pol1 }, ids.insurer, fromInsurer, ids.la1, 'A-001');
  await link({ guarantee_id: ids.g1 }, ids.guarantor, fromGuarantor, ids.la1, 'A-001');
  await link({ policy_id: ids.pol3 }, ids.insurer, fromInsurer, ids.la3, 'A-003');
  await link({ guarantee_id: ids.g2 }, ids.guarantor, fromGuarantor, ids.la3, 'A-003');
  await link({ guarantee_id: ids.g3 }, ids.guarantor, fromGuarantor, ids.la4, 'A-004');
  await link({ policy_id: ids.pol3 }, ids.insurer, fromInsurer, null, 'A-NOT-YET');

  // Service points, docking, findings, alerts.
  const servicePoint = (row: Record<string, unknown>) => insert(client, 'service_point', { ...fromBankA, institution_id: ids.bankA, county_code: A, ...row });
  ids.sp1 = await servicePoint({ ref: 'SP-001', kind: 'AGENT', name: '乐元村助农取款点', village_code: VA1, opened_on: '2018-05-01' });
  ids.sp2 = await servicePoint({ ref: 'SP-002', kind: 'ATM', name: '纳管村ATM', village_code: VA2, opened_on: '2017-01-01', closed_on: '2020-06-30' });
  ids.spb = await servicePoint({ ...fromBankB, institution_id: ids.bankB, ref: 'SP-B1', kind: 'BRANCH', name: '晴隆县村镇银行东北社区网点', village_code: VB1, county_code: B, opened_on: '2019-01-01' });

  ids.de1 = await insert(client, 'docking_event', { ...fromGov, organizer_id: ids.govA, ref: 'DOCK-2019-1', name: '望谟县政银企对接会', county_code: A, held_on: '2019-05-20' });
  ids.dp1 = await insert(client, 'docking_project', {
    ...fromGov, event_id: ids.de1, ref: 'P1', county_code: A, enterprise_id: ids.e1, bank_id: ids.bankA, requested: '1000000', signed: '800000', disbursed: '800000',
  });
  ids.dp2 = await insert(client, 'docking_project', {
    ...fromGov, event_id: ids.de1, ref: 'P2', county_code: A, enterprise_id: ids.e1, bank_id: ids.bankB, requested: '300000', signed: '0', disbursed: '0',
  });
  await insert(client, 'docking_project_loan', { project_id: ids.dp1, loan_id: ids.la4, county_code: A });

  const finding = (row: Record<string, unknown>) => insert(client, 'finding', { ...fromCbirc, county_code: A, status: 'OPEN', ...row });
  ids.fd1 = await finding({ ref: 'FD-001', source: 'INSPECTION', institution_id: ids.bankA, text: '扶贫小额信贷“户贷企用”', found_on: '2020-05-10', due_on: '2020-08-31' });
  ids.fd2 = await finding({
    ref: 'FD-002', source: 'AUDIT', institution_id: ids.insurer, text: '理赔超时', found_on: '2020-03-01', due_on: '2020-04-30', status: 'CLOSED', closed_on: '2020-04-20',
  });
  ids.fd3 = await finding({ ref: 'FD-003', source: 'SUPERVISION', institution_id: ids.bankB, county_code: B, text: '五级分类不准确', found_on: '2020-06-01', due_on: '2020-09-30' });
  ids.st1 = await insert(client, 'rectification_step', {
    finding_id: ids.fd1, county_code: A, seq: 1, description: '收回违规贷款', reported_done_on: '2020-07-01', evidence: '收回凭证', verified_at: '2020-07-10T02:00:00Z',
    verified_by_id: ids.cbirc,
  });
  ids.st2 = await insert(client, 'rectification_step', { finding_id: ids.fd1, county_code: A, seq: 2, description: '追责问责' });

  const rule = await insert(client, 'alert_rule', { code: 'MICRO-OVERDUE', kind: 'MICROCREDIT_OVERDUE_RATIO', name: '扶贫小额信贷逾期率' });
  await insert(client, 'alert_rule_version', { rule_id: rule, version: 1, threshold: '0.02', severity: 'HIGH', created_by: 'test' });
  const claimRule = await insert(client, 'alert_rule', { code: 'CLAIM-UNPAID', kind: 'CLAIM_UNPAID_AFTER_AGREEMENT', name: '定损后未赔付' });
  const alert = (row: Record<string, unknown>) => insert(client, 'alert', { rule_id: rule, rule_version: 1, status: 'OPEN', ...row });
  ids.al1 = await alert({
    fingerprint: `loan:${ids.la3}`, subject_type: 'LOAN', subject_id: ids.la3, county_code: A, institution_id: ids.bankA, observed: '1', threshold: '0.02',
    severity: 'HIGH', message: '贷款逾期', raised_at: '2020-07-05T02:00:00Z', updated_at: '2020-07-05T02:00:00Z',
  });
  ids.al2 = await alert({
    fingerprint: `county:${A}`, subject_type: 'COUNTY', subject_id: A, county_code: A, observed: '0.05', threshold: '0.02', severity: 'MEDIUM',
    status: 'ACKNOWLEDGED', message: '县域逾期率偏高', raised_at: '2020-07-06T02:00:00Z', updated_at: '2020-07-08T02:00:00Z',
  });
  ids.al3 = await alert({
    fingerprint: `county:${B}`, subject_type: 'COUNTY', subject_id: B, county_code: B, institution_id: ids.bankB, severity: 'LOW', message: '晴隆逾期',
    raised_at: '2020-07-07T02:00:00Z', updated_at: '2020-07-07T02:00:00Z',
  });
  ids.al4 = await alert({
    rule_id: claimRule, fingerprint: `claim:${ids.c3}`, subject_type: 'CLAIM', subject_id: ids.c3, institution_id: ids.insurer, severity: 'CRITICAL',
    message: '定损后未赔付', raised_at: '2020-07-08T02:00:00Z', updated_at: '2020-07-08T02:00:00Z',
  });

  // A demo-only designation of county A with an end date, for as-of designation filters.
  ids.relocation = await insert(client, 'area_designation', {
    area_code: A, kind: 'RELOCATION_AREA', valid_from: '2019-01-01', valid_to: '2020-07-01', basis: 'test', demo_only: true,
  });

  const nation: string[] = [];
  const principals: Record<string, Principal> = {
    bankA: { role: 'BANK', institutionId: ids.bankA, institutionCode: 'TQ-BANK-A', areaCodes: nation },
    bankB: { role: 'BANK', institutionId: ids.bankB, institutionCode: 'TQ-BANK-B', areaCodes: nation },
    insurer: { role: 'INSURER', institutionId: ids.insurer, institutionCode: 'TQ-INS', areaCodes: nation },
    guarantor: { role: 'GUARANTOR', institutionId: ids.guarantor, institutionCode: 'TQ-GUA', areaCodes: nation },
    govA: { role: 'GOVERNMENT', institutionId: ids.govA, institutionCode: 'TQ-GOV-A', areaCodes: [A] },
    regulator: { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: nation },
    regulatorB: { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [B] },
    analyst: { role: 'ANALYST', institutionId: null, institutionCode: null, areaCodes: nation },
  };
  return { ids, principals };
}

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, unknown> }> };
}

export interface SurfaceServer {
  world: SurfaceWorld;
  url: string;
  gql(who: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The data of a response that must have no errors. */
  data(who: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>>;
  /** The error codes and fields of a response that must fail. */
  errors(who: string, query: string, variables?: Record<string, unknown>): Promise<Array<{ message: string; code: unknown; field: unknown }>>;
}

/**
 * Seeds the world (or `seed`) into the file's database and starts a server on an ephemeral
 * port; everything is closed with the database. Call from `beforeAll`.
 */
export async function startSurface(
  db: TestDatabase,
  options: { seed?: (client: Client) => Promise<SurfaceWorld>; limits?: LimitsEnvironment; compiledReads?: boolean } = {},
): Promise<SurfaceServer> {
  const world = await withClient(db.url(), options.seed ?? seedSurface);
  const orm: MikroORM = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
  const app: FastifyInstance = await createServer({
    orm,
    config,
    limits: options.limits,
    compiledReads: options.compiledReads,
    principalResolver: (request) => world.principals[String(request.headers['x-test-principal'])] ?? null,
  });
  db.onTeardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const gql = async (who: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-principal': who },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
  };
  return {
    world,
    url,
    gql,
    data: async (who, query, variables) => {
      const { status, body } = await gql(who, query, variables);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      return body.data!;
    },
    errors: async (who, query, variables) => {
      const { body } = await gql(who, query, variables);
      expect(body.errors).toBeDefined();
      return body.errors!.map((e) => ({ message: e.message, code: e.extensions?.code, field: e.extensions?.field }));
    },
  };
}
