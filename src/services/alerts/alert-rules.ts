/**
 * The early-warning rule registry: each rule kind implemented once, as one set-based SQL
 * statement over the reported rows, evaluated for an as-of date with the parameters of
 * one rule version. Policy values (floors, caps, payment days) are read from
 * `policy_parameter` in force on the date that matters, never from constants here.
 *
 * Every statement binds the same six values through the `p` row, so that each rule can
 * use what it needs: `p.as_of` (date), `p.threshold` (numeric), `p.window_days` (int),
 * `p.min_denominator` (int), `p.params` (jsonb), and `p.counties` (text[], null for
 * all): the counties to evaluate, applied to the rows a rule scans (`IN_COUNTIES`), so
 * that the evaluator re-checks only the counties an ingestion touched. Each returns the
 * columns of {@link AlertCondition} (snake case); a condition's `county_code` is always
 * one of `p.counties` when they are given.
 */
import { AlertRuleKind, Severity } from '../../entities/enums';

/** Parameters of one rule version, as stored in `alert_rule_version`. */
export interface RuleVersionParams {
  threshold: string | null;
  windowDays: number | null;
  minDenominator: number | null;
  params: Record<string, unknown> | null;
}

/** One condition a rule found: what the alert will say. */
export interface AlertCondition {
  fingerprint: string;
  subjectType: string;
  subjectId: string;
  countyCode: string | null;
  /** Set when the condition concerns one institution's records: the alert goes to it. */
  institutionId: string | null;
  observed: string | null;
  threshold: string | null;
  message: string;
}

export interface RuleDefinition {
  kind: AlertRuleKind;
  name: string;
  /** Version 1 as `seedDefaultRules` inserts it. */
  defaults: RuleVersionParams & { severity: Severity };
  /**
   * The change-feed record types (`change_event.record_type`) whose rows this rule reads:
   * an ingestion landing one of them re-evaluates the rule (alert-evaluator.ts).
   */
  inputs: readonly string[];
  /**
   * True when a changed record can only change conditions of its own county (the event's
   * county), so the evaluator re-checks just those counties; false when a record of one
   * county can move a condition of another (a fund backs loans made in other counties, a
   * household that moved keeps loans made where it lived): any touching event then
   * re-evaluates the whole rule.
   */
  countyLocal: boolean;
  /** The body after `with p as (…)`; may add further CTEs with `, name as (…)`. */
  body: string;
}

/** The county filter of the rows a rule scans (`col` is trusted SQL text). */
const IN_COUNTIES = (col: string): string => `(p.counties is null or ${col} = any (p.counties))`;

/** The products a loan-book rule covers: `params.products`, micro-credit by default. */
const PRODUCTS = `(case when p.params ? 'products' then array(select jsonb_array_elements_text(p.params -> 'products'))
                       else array['POVERTY_MICROCREDIT'] end)`;

/** The value of a policy parameter in force on `dateExpr` (trusted SQL text), or null. */
function param(key: string, dateExpr: string): string {
  return `(select pp.value from policy_parameter pp where pp.key = '${key}' and pp.valid_from <= ${dateExpr}
     and (pp.valid_to is null or pp.valid_to > ${dateExpr}) order by pp.valid_from desc limit 1)`;
}

/**
 * The latest reported position (current version) of each loan in the month ending at
 * the as-of date: positions from (as-of − 1 month, as-of], so a loan closed earlier, whose
 * last position is older, no longer counts.
 */
const LATEST_POSITIONS = `
  , pos as (
    select distinct on (lp.loan_id) lp.*
      from loan_position lp cross join p
     where lp.is_latest and lp.month_end <= p.as_of and lp.month_end > p.as_of - interval '1 month'
       and ${IN_COUNTIES('lp.county_code')}
     order by lp.loan_id, lp.month_end desc)`;

/** A loan counts for the term rules when outstanding at the as-of date or disbursed within the window. */
const LOAN_IN_WINDOW = `l.disbursed_on <= p.as_of
   and ((l.closed_on is null or l.closed_on > p.as_of) or l.disbursed_on > p.as_of - coalesce(p.window_days, 365))`;

const CLASS_RANK = (col: string): string =>
  `(case ${col} when 'NORMAL' then 0 when 'SPECIAL_MENTION' then 1 when 'SUBSTANDARD' then 2 when 'DOUBTFUL' then 3 when 'LOSS' then 4 end)`;

export const RULES: readonly RuleDefinition[] = [
  {
    kind: AlertRuleKind.CLASS_BETTER_THAN_FLOOR,
    name: 'Reported class better than the overdue-day floor',
    defaults: { severity: Severity.HIGH, threshold: null, windowDays: null, minDenominator: null, params: null },
    inputs: ['LoanPosition', 'LoanModification'],
    countyLocal: true,
    // Floors are read at the position's month end. Loans under a modification with
    // classification relief in force (2020 epidemic / flood deferrals) are exempt.
    body: `${LATEST_POSITIONS}
  , floors as (
    select pos.*,
           ${param('classification.floor_days.special_mention', 'pos.month_end')} as d1,
           ${param('classification.floor_days.substandard', 'pos.month_end')} as d2,
           ${param('classification.floor_days.doubtful', 'pos.month_end')} as d3,
           ${param('classification.floor_days.loss', 'pos.month_end')} as d4
      from pos where pos.overdue_days > 0)
  , ranked as (
    select f.*, ${CLASS_RANK('f.five_class')} as reported_rank,
           case when f.overdue_days >= f.d4 then 4 when f.overdue_days >= f.d3 then 3
                when f.overdue_days >= f.d2 then 2 when f.overdue_days >= f.d1 then 1 else 0 end as floor_rank
      from floors f)
  select 'loan:' || r.loan_id as fingerprint, 'LOAN' as subject_type, r.loan_id::text as subject_id,
         r.county_code, r.institution_id::text as institution_id,
         r.overdue_days::numeric as observed,
         (case r.reported_rank + 1 when 1 then r.d1 when 2 then r.d2 when 3 then r.d3 else r.d4 end) as threshold,
         'Loan ' || l.ref || ' is ' || r.overdue_days || ' days overdue at ' || r.month_end || ' but reported '
           || r.five_class || ', better than its floor '
           || (array['NORMAL','SPECIAL_MENTION','SUBSTANDARD','DOUBTFUL','LOSS'])[r.floor_rank + 1] as message
    from ranked r join loan l on l.id = r.loan_id
   where r.reported_rank < r.floor_rank
     and not exists (select 1 from loan_modification m
                      where m.loan_id = r.loan_id and m.classification_relief
                        and m.effective_on <= r.month_end and m.new_matures_on >= r.month_end)`,
  },
  {
    kind: AlertRuleKind.MICROCREDIT_TERMS_OUTSIDE_CAPS,
    name: 'Micro-credit amount or term above the caps in force at disbursement',
    defaults: { severity: Severity.MEDIUM, threshold: null, windowDays: 365, minDenominator: null, params: null },
    inputs: ['Loan'],
    countyLocal: true,
    body: `
  , caps as (
    select l.*, ${param('microcredit.max_amount', 'l.disbursed_on')} as max_amount,
           ${param('microcredit.max_term_months', 'l.disbursed_on')} as max_term
      from loan l cross join p
     where l.product = 'POVERTY_MICROCREDIT' and ${LOAN_IN_WINDOW} and ${IN_COUNTIES('l.county_code')})
  , terms as (
    select c.*, (extract(year from age(c.matures_on, c.disbursed_on)) * 12 + extract(month from age(c.matures_on, c.disbursed_on))
                 + case when extract(day from age(c.matures_on, c.disbursed_on)) > 0 then 1 else 0 end)::numeric as term_months
      from caps c)
  select 'loan:' || t.id as fingerprint, 'LOAN' as subject_type, t.id::text as subject_id, t.county_code,
         t.institution_id::text as institution_id,
         case when t.principal > t.max_amount then t.principal else t.term_months end as observed,
         case when t.principal > t.max_amount then t.max_amount else t.max_term end as threshold,
         'Micro-credit ' || t.ref || ' disbursed ' || t.disbursed_on || ': '
           || concat_ws('; ',
                case when t.principal > t.max_amount then 'amount ' || t.principal || ' above cap ' || t.max_amount end,
                case when t.term_months > t.max_term then 'term ' || t.term_months || ' months above cap ' || t.max_term end) as message
    from terms t
   where t.principal > t.max_amount or t.term_months > t.max_term`,
  },
  {
    kind: AlertRuleKind.MICROCREDIT_OVERDUE_RATIO,
    name: 'County micro-credit overdue ratio above threshold',
    defaults: { severity: Severity.HIGH, threshold: '0.02', windowDays: null, minDenominator: 30, params: null },
    inputs: ['Loan', 'LoanPosition'],
    countyLocal: true,
    // Denominator: micro-credit balance; the minimum denominator counts loans outstanding.
    body: `${LATEST_POSITIONS}
  , county as (
    select pos.county_code, sum(pos.overdue_principal) as overdue, sum(pos.balance) as balance, count(*) as loans
      from pos join loan l on l.id = pos.loan_id
     where l.product = 'POVERTY_MICROCREDIT'
     group by pos.county_code)
  select 'county:' || c.county_code as fingerprint, 'COUNTY' as subject_type, c.county_code as subject_id, c.county_code,
         null::text as institution_id, round(c.overdue / c.balance, 6) as observed, p.threshold as threshold,
         'Micro-credit overdue ratio ' || round(c.overdue / c.balance * 100, 2) || ' % (' || c.overdue || ' of ' || c.balance
           || ' yuan, ' || c.loans || ' loans) above ' || round(p.threshold * 100, 2) || ' %' as message
    from county c cross join p
   where c.balance > 0 and c.loans >= coalesce(p.min_denominator, 0) and c.overdue / c.balance > p.threshold`,
  },
  {
    kind: AlertRuleKind.HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT,
    name: 'Household micro-credit paid to an enterprise account (户贷企用)',
    // params.products (default ["POVERTY_MICROCREDIT"]) widens it to other household loans.
    defaults: { severity: Severity.HIGH, threshold: null, windowDays: 365, minDenominator: null, params: null },
    inputs: ['Loan'],
    countyLocal: true,
    body: `
  select 'loan:' || l.id as fingerprint, 'LOAN' as subject_type, l.id::text as subject_id, l.county_code,
         l.institution_id::text as institution_id, l.principal as observed, null::numeric as threshold,
         'Household loan ' || l.ref || ' (' || l.product || ', ' || l.principal || ' yuan) paid to a(n) '
           || l.paid_to_account || ' account' as message
    from loan l cross join p
   where l.borrower_kind = 'HOUSEHOLD' and l.paid_to_account in ('ENTERPRISE', 'COOPERATIVE')
     and l.product = any ${PRODUCTS}
     and ${LOAN_IN_WINDOW} and ${IN_COUNTIES('l.county_code')}`,
  },
  {
    kind: AlertRuleKind.GUARANTEE_FEE_ABOVE_CAP,
    name: 'Guarantee fee rate above the cap',
    defaults: { severity: Severity.MEDIUM, threshold: null, windowDays: null, minDenominator: null, params: null },
    inputs: ['GuaranteeContract'],
    countyLocal: true,
    // The cap in force at the start; contracts older than the parameter take its first version.
    body: `
  , g as (
    select gc.*, coalesce(${param('guarantee.max_fee_rate', 'gc.starts_on')},
             (select pp.value from policy_parameter pp where pp.key = 'guarantee.max_fee_rate' order by pp.valid_from limit 1)) as cap
      from guarantee_contract gc cross join p
     where gc.starts_on <= p.as_of and gc.ends_on > p.as_of and (gc.released_on is null or gc.released_on > p.as_of)
       and ${IN_COUNTIES('gc.county_code')})
  select 'guarantee:' || g.id as fingerprint, 'GUARANTEE' as subject_type, g.id::text as subject_id, g.county_code,
         g.institution_id::text as institution_id, g.fee_rate as observed, g.cap as threshold,
         'Guarantee ' || g.ref || ' charges ' || round(g.fee_rate * 100, 3) || ' % a year, above the cap of '
           || round(g.cap * 100, 3) || ' %' as message
    from g where g.fee_rate > g.cap`,
  },
  {
    kind: AlertRuleKind.CLAIM_UNPAID_AFTER_AGREEMENT,
    name: 'Insurance claim unpaid after agreement',
    defaults: { severity: Severity.MEDIUM, threshold: null, windowDays: null, minDenominator: null, params: null },
    inputs: ['Claim'],
    countyLocal: true,
    // Threshold (days) when the version sets one, else insurance.claim_payment_days at agreement.
    body: `
  , c as (
    select cl.*, (p.as_of - cl.agreed_on) as days, coalesce(p.threshold, ${param('insurance.claim_payment_days', 'cl.agreed_on')}) as allowed
      from claim cl cross join p
     where cl.agreed_on is not null and cl.agreed_on <= p.as_of and (cl.paid_on is null or cl.paid_on > p.as_of)
       and ${IN_COUNTIES('cl.county_code')})
  select 'claim:' || c.id as fingerprint, 'CLAIM' as subject_type, c.id::text as subject_id, c.county_code,
         c.institution_id::text as institution_id, c.days::numeric as observed, c.allowed as threshold,
         'Claim ' || c.ref || ' agreed ' || c.agreed_on || ' (' || coalesce(c.agreed_amount::text, '?') || ' yuan) unpaid after '
           || c.days || ' days; allowed ' || c.allowed as message
    from c where c.days > c.allowed`,
  },
  {
    kind: AlertRuleKind.SERVICE_POINT_DORMANT,
    name: 'Service point without transactions',
    defaults: { severity: Severity.LOW, threshold: null, windowDays: null, minDenominator: null, params: { months: 3 } },
    inputs: ['ServicePoint', 'ServicePointActivity'],
    countyLocal: true,
    // Dormant: open for the whole window of params.months months ending at the as-of month
    // and no month in it with transactions.
    body: `
  , w as (select p.as_of, coalesce((p.params ->> 'months')::int, 3) as months from p)
  select 'service_point:' || sp.id as fingerprint, 'SERVICE_POINT' as subject_type, sp.id::text as subject_id, sp.county_code,
         sp.institution_id::text as institution_id, 0::numeric as observed, w.months::numeric as threshold,
         sp.kind || ' ' || sp.ref || ' (' || sp.name || ') without transactions for ' || w.months || ' months to ' || w.as_of as message
    from service_point sp cross join w cross join p
   where ${IN_COUNTIES('sp.county_code')} and sp.opened_on <= w.as_of - make_interval(months => w.months)
     and (sp.closed_on is null or sp.closed_on > w.as_of)
     and not exists (select 1 from service_point_activity a
                      where a.service_point_id = sp.id and a.transactions > 0
                        and a.month <= w.as_of and a.month > w.as_of - make_interval(months => w.months))`,
  },
  {
    kind: AlertRuleKind.MATURITY_PEAK,
    name: 'Repayment peak: share of the county balance falling due soon',
    // Balance of outstanding loans (params.products, micro-credit by default) whose
    // maturity — the latest modification's new maturity when one is in effect — falls in
    // (as-of, as-of + window_days] / their whole balance; min_denominator counts loans.
    defaults: { severity: Severity.MEDIUM, threshold: '0.30', windowDays: 90, minDenominator: 30, params: null },
    inputs: ['Loan', 'LoanPosition', 'LoanModification'],
    countyLocal: true,
    body: `${LATEST_POSITIONS}
  , book as (
    select pos.county_code, pos.balance,
           coalesce((select m.new_matures_on from loan_modification m where m.loan_id = l.id and m.effective_on <= p.as_of
                      order by m.effective_on desc, m.id desc limit 1), l.matures_on) as due_on
      from pos join loan l on l.id = pos.loan_id cross join p
     where l.product = any ${PRODUCTS} and pos.balance > 0 and (l.closed_on is null or l.closed_on > p.as_of))
  , county as (
    select b.county_code, sum(b.balance) filter (where b.due_on > p.as_of and b.due_on <= p.as_of + coalesce(p.window_days, 90)) as due,
           sum(b.balance) as balance, count(*) as loans
      from book b cross join p group by b.county_code)
  select 'county:' || c.county_code as fingerprint, 'COUNTY' as subject_type, c.county_code as subject_id, c.county_code,
         null::text as institution_id, round(coalesce(c.due, 0) / c.balance, 6) as observed, p.threshold as threshold,
         round(coalesce(c.due, 0) / c.balance * 100, 2) || ' % of the balance (' || coalesce(c.due, 0) || ' of ' || c.balance || ' yuan, '
           || c.loans || ' loans) falls due within ' || coalesce(p.window_days, 90) || ' days after ' || p.as_of
           || ', above ' || round(p.threshold * 100, 2) || ' %' as message
    from county c cross join p
   where c.balance > 0 and c.loans >= coalesce(p.min_denominator, 0) and coalesce(c.due, 0) / c.balance > p.threshold`,
  },
  {
    kind: AlertRuleKind.MODIFICATION_SHARE,
    name: 'High share of renewed, extended or deferred loans in a county',
    // Balance of outstanding loans (params.products) with a modification of params.kinds
    // (all four by default) effective in (as-of − window_days, as-of] / their balance.
    defaults: { severity: Severity.MEDIUM, threshold: '0.20', windowDays: 365, minDenominator: 30, params: null },
    inputs: ['Loan', 'LoanPosition', 'LoanModification'],
    countyLocal: true,
    body: `${LATEST_POSITIONS}
  , book as (
    select pos.county_code, pos.balance,
           exists (select 1 from loan_modification m
                    where m.loan_id = l.id and m.effective_on <= p.as_of and m.effective_on > p.as_of - coalesce(p.window_days, 365)
                      and m.kind = any (case when p.params ? 'kinds' then array(select jsonb_array_elements_text(p.params -> 'kinds'))
                                             else array['EXTENSION', 'RENEWAL', 'EPIDEMIC_DEFERRAL', 'DISASTER_DEFERRAL'] end)) as modified
      from pos join loan l on l.id = pos.loan_id cross join p
     where l.product = any ${PRODUCTS} and pos.balance > 0 and (l.closed_on is null or l.closed_on > p.as_of))
  , county as (
    select b.county_code, sum(b.balance) filter (where b.modified) as modified, count(*) filter (where b.modified) as modified_loans,
           sum(b.balance) as balance, count(*) as loans
      from book b group by b.county_code)
  select 'county:' || c.county_code as fingerprint, 'COUNTY' as subject_type, c.county_code as subject_id, c.county_code,
         null::text as institution_id, round(coalesce(c.modified, 0) / c.balance, 6) as observed, p.threshold as threshold,
         round(coalesce(c.modified, 0) / c.balance * 100, 2) || ' % of the balance (' || coalesce(c.modified, 0) || ' of ' || c.balance
           || ' yuan; ' || c.modified_loans || ' of ' || c.loans || ' loans) renewed, extended or deferred in the '
           || coalesce(p.window_days, 365) || ' days to ' || p.as_of || ', above ' || round(p.threshold * 100, 2) || ' %' as message
    from county c cross join p
   where c.balance > 0 and c.loans >= coalesce(p.min_denominator, 0) and coalesce(c.modified, 0) / c.balance > p.threshold`,
  },
  {
    kind: AlertRuleKind.FUND_LEVERAGE_EXCEEDED,
    name: 'Risk compensation fund backing more than its leverage cap',
    // Leverage = backed balance (month-end balance of the open loans naming the fund,
    // wherever made) / paid-in capital (top-ups − withdrawals up to the as-of date), as
    // the FUND_LEVERAGE indicator. Fires above leverage_cap × threshold (threshold: the
    // share of each fund's own cap at which to warn, 1 = the cap) or, with no paid-in
    // capital, on any backed balance. Assigned to the county government owning the fund.
    //
    // Second condition, per bank: an agreement in force at the as-of date with its own
    // (tighter) leverage_cap bounds that bank's backed balance — its loans naming the
    // fund — by the same paid-in capital × the agreement's cap × threshold. The whole
    // deposit stands behind each cooperating bank's loans (the schema apportions no
    // capital per bank, and the loss shares are not capital shares), so the capital share
    // the agreement implies is all of it; the fund condition bounds the banks' sum.
    // Fingerprint `fund:<fund>:bank:<bank>`, assigned to the bank, which must stop
    // lending against the fund; the fund's government sees it as an area role.
    defaults: { severity: Severity.HIGH, threshold: '1', windowDays: null, minDenominator: null, params: null },
    inputs: ['Loan', 'LoanPosition', 'RiskCompensationFund', 'FundMovement'],
    countyLocal: false,
    body: `
  , f as (
    select rf.id, rf.ref, rf.name, rf.county_code, rf.government_id, rf.leverage_cap * coalesce(p.threshold, 1) as cap,
           (select coalesce(sum(case fm.kind when 'TOP_UP' then fm.amount when 'WITHDRAWAL' then -fm.amount else 0 end), 0)
              from fund_movement fm where fm.fund_id = rf.id and fm.occurred_on <= p.as_of) as paid_in
      from risk_compensation_fund rf cross join p
     where rf.established_on <= p.as_of and ${IN_COUNTIES('rf.county_code')})
  , by_bank as (
    select l.risk_compensation_fund_id as fund_id, l.institution_id as bank_id, sum(lp.balance) as backed
      from f join loan l on l.risk_compensation_fund_id = f.id cross join p
      join loan_position lp on lp.loan_id = l.id and lp.is_latest and lp.month_end <= p.as_of and lp.month_end > p.as_of - interval '1 month'
     where l.closed_on is null or l.closed_on > lp.month_end
     group by 1, 2)
  , fb as (
    select f.*, coalesce((select sum(b.backed) from by_bank b where b.fund_id = f.id), 0) as backed from f)
  , agreed as (
    select fb.id, fb.ref, fb.county_code, fb.paid_in, b.bank_id, b.backed, i.code as bank_code,
           a.leverage_cap * coalesce(p.threshold, 1) as cap
      from fb join by_bank b on b.fund_id = fb.id join institution i on i.id = b.bank_id cross join p
      cross join lateral (select fa.leverage_cap from fund_bank_agreement fa
                           where fa.fund_id = fb.id and fa.bank_id = b.bank_id and fa.valid_from <= p.as_of
                             and (fa.valid_to is null or fa.valid_to > p.as_of)
                           order by fa.valid_from desc limit 1) a
     where a.leverage_cap is not null)
  select 'fund:' || fb.id as fingerprint, 'FUND' as subject_type, fb.id::text as subject_id, fb.county_code,
         fb.government_id::text as institution_id, case when fb.paid_in > 0 then round(fb.backed / fb.paid_in, 6) end as observed,
         round(fb.cap, 6) as threshold,
         'Risk compensation fund ' || fb.ref || ' backs ' || fb.backed || ' yuan on ' || fb.paid_in || ' yuan paid in'
           || case when fb.paid_in > 0 then ' (leverage ' || round(fb.backed / fb.paid_in, 2) || ')' else '' end
           || ', above its cap of ' || round(fb.cap, 2) as message
    from fb
   where fb.backed > 0 and (fb.paid_in <= 0 or fb.backed > fb.paid_in * fb.cap)
  union all
  select 'fund:' || g.id || ':bank:' || g.bank_id as fingerprint, 'FUND' as subject_type, g.id::text as subject_id, g.county_code,
         g.bank_id::text as institution_id, case when g.paid_in > 0 then round(g.backed / g.paid_in, 6) end as observed,
         round(g.cap, 6) as threshold,
         'Bank ' || g.bank_code || ' lends ' || g.backed || ' yuan against risk compensation fund ' || g.ref || ' on ' || g.paid_in
           || ' yuan paid in' || case when g.paid_in > 0 then ' (leverage ' || round(g.backed / g.paid_in, 2) || ')' else '' end
           || ', above its agreement''s cap of ' || round(g.cap, 2) as message
    from agreed g
   where g.backed > 0 and (g.paid_in <= 0 or g.backed > g.paid_in * g.cap)`,
  },
  {
    kind: AlertRuleKind.MARGINAL_WITH_OVERDUE_LOAN,
    name: 'Marginal household holding an overdue loan',
    // Status at the as-of date from the dated status history; overdue = a loan of the
    // household whose position of the as-of month is more than threshold days overdue
    // (0 by default: any overdue day). The household's county, never its PII.
    defaults: { severity: Severity.HIGH, threshold: null, windowDays: null, minDenominator: null, params: null },
    inputs: ['Household', 'HouseholdStatusChange', 'Loan', 'LoanPosition'],
    countyLocal: false,
    body: `
  , od as (
    select l.household_id, count(*) as loans, max(lp.overdue_days) as days, sum(lp.overdue_principal) as overdue
      from loan_position lp join loan l on l.id = lp.loan_id cross join p
     where lp.is_latest and lp.month_end <= p.as_of and lp.month_end > p.as_of - interval '1 month'
       and l.household_id is not null and (l.closed_on is null or l.closed_on > lp.month_end)
       and lp.overdue_days > coalesce(p.threshold, 0)
     group by l.household_id)
  , hh as (
    select h.id, h.ref, h.county_code, od.loans, od.days, od.overdue, st.status, st.valid_from
      from od join household h on h.id = od.household_id cross join p
      cross join lateral (select sc.status, sc.valid_from from household_status_change sc
                           where sc.household_id = h.id and sc.valid_from <= p.as_of
                           order by sc.valid_from desc, sc.id desc limit 1) st
     where ${IN_COUNTIES('h.county_code')})
  select 'household:' || hh.id as fingerprint, 'HOUSEHOLD' as subject_type, hh.id::text as subject_id, hh.county_code,
         null::text as institution_id, hh.days::numeric as observed, coalesce(p.threshold, 0) as threshold,
         'Household ' || hh.ref || ' is MARGINAL since ' || hh.valid_from || ' and holds ' || hh.loans || ' overdue loan(s): '
           || hh.overdue || ' yuan overdue, up to ' || hh.days || ' days' as message
    from hh cross join p
   where hh.status = 'MARGINAL'`,
  },
  {
    kind: AlertRuleKind.FINDING_OVERDUE,
    name: 'Inspection finding past its due date and not closed',
    // Open at the as-of date (not closed, or closed after it) and more than threshold days
    // (0 by default) past due_on. Goes to the institution that must rectify; a finding
    // on a county's own work (no institution) to the county government and regulators.
    defaults: { severity: Severity.MEDIUM, threshold: null, windowDays: null, minDenominator: null, params: null },
    inputs: ['Finding', 'RectificationStep'],
    countyLocal: true,
    body: `
  select 'finding:' || f.id as fingerprint, 'FINDING' as subject_type, f.id::text as subject_id, f.county_code,
         f.institution_id::text as institution_id, (p.as_of - f.due_on)::numeric as observed, coalesce(p.threshold, 0) as threshold,
         'Finding ' || f.ref || ' (' || f.source || ', found ' || f.found_on || ') was due ' || f.due_on || ' and is not closed: '
           || (p.as_of - f.due_on) || ' days overdue' as message
    from finding f cross join p
   where ${IN_COUNTIES('f.county_code')} and f.found_on <= p.as_of and f.due_on < p.as_of
     and (f.status <> 'CLOSED' or f.closed_on > p.as_of)
     and (p.as_of - f.due_on) > coalesce(p.threshold, 0)`,
  },
];

export function ruleDefinition(kind: AlertRuleKind): RuleDefinition | undefined {
  return RULES.find((rule) => rule.kind === kind);
}

/** The full statement of a rule and its bindings ($1 as-of … $5 params, $6 counties or null for all). */
export function ruleStatement(
  rule: RuleDefinition,
  version: RuleVersionParams,
  asOf: string,
  counties: readonly string[] | null = null,
): { text: string; values: unknown[] } {
  return {
    text: `with p as (select $1::date as as_of, $2::numeric as threshold, $3::int as window_days, $4::int as min_denominator, $5::jsonb as params,
                  $6::text[] as counties)
${rule.body}`,
    values: [
      asOf,
      version.threshold,
      version.windowDays,
      version.minDenominator,
      version.params === null ? null : JSON.stringify(version.params),
      counties === null ? null : [...counties],
    ],
  };
}
