import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * Business content of the demo tables, row by row, with rows named by natural keys
 * (institution codes, partner references, household refs) rather than surrogate ids, and
 * without the PII ciphertexts (their IVs are random). Two runs with the same seed and
 * size must hash alike.
 */
const CONTENT: ReadonlyArray<[string, string]> = [
  ['institution', `select concat_ws('|', i.code, i.name, i.kind, i.home_area_code, p.code) as r from institution i left join institution p on p.id = i.parent_id order by i.code`],
  ['ingest_batch', `select concat_ws('|', i.code, b.external_id, b.kind, b.payload_hash, b.item_count, b.received_at) as r from ingest_batch b join institution i on i.id = b.institution_id order by i.code, b.external_id`],
  ['area_designation', `select concat_ws('|', area_code, kind, valid_from, valid_to, basis) as r from area_designation where demo_only order by area_code, kind, valid_from`],
  ['household', `select concat_ws('|', ref, village_code, county_code, status, status_since, exit_year, registered_on, attribute, size, pii_key_version, version, received_at) as r from household order by ref`],
  ['household_status_change', `select concat_ws('|', h.ref, s.status, s.valid_from, s.exit_year, s.reason, s.received_at) as r from household_status_change s join household h on h.id = s.household_id order by h.ref, s.valid_from`],
  ['household_identity', `select concat_ws('|', h.ref, x.key_version, encode(x.match_hash, 'hex'), x.valid_from, x.valid_to) as r from household_identity x join household h on h.id = x.household_id order by h.ref, x.valid_from`],
  ['loan', `select concat_ws('|', i.code, l.ref, l.county_code, l.product, l.borrower_kind, h.ref, e.credit_code, l.principal, l.disbursed_on, l.matures_on, l.annual_rate, l.subsidy_rate, l.guarantee_mode, l.paid_to_account, f.ref, r.ref, l.purpose, l.closed_on, l.closure, l.version, l.received_at) as r
     from loan l join institution i on i.id = l.institution_id left join household h on h.id = l.household_id left join enterprise e on e.id = l.enterprise_id
     left join relending_facility f on f.id = l.relending_facility_id left join risk_compensation_fund r on r.id = l.risk_compensation_fund_id order by i.code, l.ref`],
  ['loan_position', `select concat_ws('|', i.code, l.ref, p.month_end, p.version, p.is_latest, p.balance, p.overdue_principal, p.overdue_days, p.five_class, p.subsidy_paid, p.received_at) as r
     from loan_position p join loan l on l.id = p.loan_id join institution i on i.id = p.institution_id order by i.code, l.ref, p.month_end, p.version`],
  ['loan_modification', `select concat_ws('|', i.code, m.ref, m.kind, m.effective_on, m.previous_matures_on, m.new_matures_on, d.ref, m.classification_relief) as r
     from loan_modification m join institution i on i.id = m.institution_id left join disaster_event d on d.id = m.disaster_event_id order by i.code, m.ref`],
  ['repayment', `select concat_ws('|', i.code, r.ref, r.paid_on, r.principal, r.interest) as r from repayment r join institution i on i.id = r.institution_id order by i.code, r.ref`],
  ['insurance_policy', `select concat_ws('|', i.code, p.ref, p.line, p.subject, p.quantity, p.unit, p.sum_insured, p.premium, p.central_share, p.provincial_share, p.county_share, p.farmer_share, p.poverty_fund_share, p.starts_on, p.ends_on, p.holder_kind, h.ref, e.credit_code) as r
     from insurance_policy p join institution i on i.id = p.institution_id left join household h on h.id = p.household_id left join enterprise e on e.id = p.enterprise_id order by i.code, p.ref`],
  ['policy_insured_household', `select concat_ws('|', i.code, p.ref, h.ref, x.quantity, x.sum_insured, x.premium) as r
     from policy_insured_household x join insurance_policy p on p.id = x.policy_id join institution i on i.id = p.institution_id join household h on h.id = x.household_id order by i.code, p.ref, h.ref`],
  ['claim', `select concat_ws('|', i.code, c.ref, h.ref, c.cause, d.ref, c.loss_on, c.agreed_on, c.agreed_amount, c.paid_on, c.paid_amount) as r
     from claim c join institution i on i.id = c.institution_id left join household h on h.id = c.household_id left join disaster_event d on d.id = c.disaster_event_id order by i.code, c.ref`],
  ['guarantee_contract', `select concat_ws('|', i.code, g.ref, g.borrower_kind, h.ref, e.credit_code, g.guaranteed_amount, g.fee_rate, g.guarantor_share, g.bank_share, g.government_share, g.reguarantee_share, g.starts_on, g.ends_on, g.released_on) as r
     from guarantee_contract g join institution i on i.id = g.institution_id left join household h on h.id = g.household_id left join enterprise e on e.id = g.enterprise_id order by i.code, g.ref`],
  ['compensation', `select concat_ws('|', i.code, c.ref, c.amount, c.paid_on) as r from compensation c join institution i on i.id = c.institution_id order by i.code, c.ref`],
  ['contract_link', `select concat_ws('|', s.code, coalesce(p.ref, g.ref), c.bank_code, c.loan_ref, l.ref, c.status, c.linked_at) as r
     from contract_link c join institution s on s.id = c.submitter_id left join insurance_policy p on p.id = c.policy_id left join guarantee_contract g on g.id = c.guarantee_id
     left join loan l on l.id = c.loan_id order by s.code, coalesce(p.ref, g.ref), c.bank_code, c.loan_ref`],
  ['risk_compensation_fund', `select concat_ws('|', ref, county_code, capital, leverage_cap, established_on) as r from risk_compensation_fund order by ref`],
  ['fund_movement', `select concat_ws('|', f.ref, m.ref, m.kind, m.amount, m.occurred_on, l.ref) as r from fund_movement m join risk_compensation_fund f on f.id = m.fund_id left join loan l on l.id = m.loan_id order by f.ref, m.ref`],
  ['relending_facility', `select concat_ws('|', f.ref, b.code, f.amount, f.annual_rate, f.drawn_on, f.due_on, f.rollovers, f.repaid_on) as r from relending_facility f join institution b on b.id = f.borrower_id order by f.ref`],
  ['enterprise', `select concat_ws('|', credit_code, name, kind, county_code, village_code, poverty_driving) as r from enterprise order by credit_code`],
  ['service_point', `select concat_ws('|', i.code, s.ref, s.kind, s.name, s.village_code, s.opened_on, s.closed_on) as r from service_point s join institution i on i.id = s.institution_id order by i.code, s.ref`],
  ['service_point_activity', `select concat_ws('|', i.code, s.ref, a.month, a.transactions, a.amount) as r from service_point_activity a join service_point s on s.id = a.service_point_id join institution i on i.id = s.institution_id order by i.code, s.ref, a.month`],
  ['docking_project', `select concat_ws('|', e.ref, p.ref, x.credit_code, b.code, p.requested, p.signed, p.disbursed) as r
     from docking_project p join docking_event e on e.id = p.event_id join enterprise x on x.id = p.enterprise_id join institution b on b.id = p.bank_id order by e.ref, p.ref`],
  ['finding', `select concat_ws('|', s.code, f.ref, f.source, f.county_code, f.text, f.found_on, f.due_on, f.status, f.closed_on) as r from finding f join institution s on s.id = f.source_institution_id order by s.code, f.ref`],
  ['record_version', `select concat_ws('|', record_kind, version, terms_hash, received_at) as r from record_version order by record_kind, terms_hash, version`],
];

/**
 * SHA-256 over the demo tables' business content (see CONTENT), per table and overall:
 * equal for two databases seeded with the same seed and size, different for another
 * seed. Streams table by table; meant for tests and the seed CLI's `--hash`.
 */
export async function demoContentHash(connectionString: string): Promise<{ overall: string; tables: Record<string, string> }> {
  const client = new Client({ connectionString, application_name: 'tripod-demo-hash' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query("set timezone = 'Asia/Shanghai'");
    const overall = createHash('sha256');
    const tables: Record<string, string> = {};
    for (const [table, sql] of CONTENT) {
      const hash = createHash('sha256');
      const cursorName = `demo_hash_${table}`;
      await client.query('begin');
      await client.query(`declare ${cursorName} no scroll cursor for ${sql}`);
      for (;;) {
        const result = await client.query<{ r: string }>(`fetch 20000 from ${cursorName}`);
        for (const row of result.rows) hash.update(row.r).update('\n');
        if (result.rows.length < 20000) break;
      }
      await client.query('commit');
      tables[table] = hash.digest('hex');
      overall.update(`${table}:${tables[table]}\n`);
    }
    return { overall: overall.digest('hex'), tables };
  } finally {
    await client.end().catch(() => undefined);
  }
}
