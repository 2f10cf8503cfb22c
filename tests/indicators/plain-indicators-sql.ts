/**
 * Every indicator of `docs/indicators.md` in one plain SQL statement for a date (`$1`)
 * over the counties `$2` (null: the nation), as text formatted like the API (2 decimals
 * for yuan, none for counts, 6 for ratios), for a caller who sees every row. Written
 * from the definitions, independently of `src/services/indicators`: the demo test
 * compares the service with it, and `bench/indicators.ts` uses it as the floor.
 */
export const PLAIN_INDICATORS_SQL = `
WITH d AS (SELECT $1::date AS d, date_trunc('year', $1::date)::date AS jan1),
inarea AS (SELECT code FROM area WHERE level = 'COUNTY' AND ($2::text[] IS NULL OR code = ANY($2::text[]))),
st AS (
  SELECT DISTINCT ON (s.household_id) s.household_id, s.status, s.county_code
    FROM household_status_change s, d WHERE s.valid_from <= d.d
   ORDER BY s.household_id, s.valid_from DESC
),
hh AS (
  SELECT st.*,
         EXISTS (SELECT 1 FROM loan l JOIN loan_position p ON p.loan_id = l.id AND p.is_latest AND p.month_end = d.d
                  WHERE l.household_id = st.household_id AND l.product = 'POVERTY_MICROCREDIT' AND p.balance > 0
                    AND (l.closure IS NULL OR l.closed_on > d.d)) AS has_mc,
         EXISTS (SELECT 1 FROM loan l WHERE l.household_id = st.household_id AND l.product = 'POVERTY_MICROCREDIT' AND l.disbursed_on <= d.d) AS ever_mc,
         EXISTS (SELECT 1 FROM insurance_policy ip
                  WHERE ip.household_id = st.household_id AND ip.starts_on <= d.d AND ip.ends_on >= d.jan1)
           OR EXISTS (SELECT 1 FROM policy_insured_household pih JOIN insurance_policy ip ON ip.id = pih.policy_id
                       WHERE pih.household_id = st.household_id AND ip.starts_on <= d.d AND ip.ends_on >= d.jan1) AS insured
    FROM st, d WHERE st.county_code IN (SELECT code FROM inarea)
),
pos AS (
  SELECT p.balance, p.overdue_principal, p.overdue_days, l.product, l.household_id,
         l.product IN ('POVERTY_MICROCREDIT', 'INDUSTRIAL', 'RELOCATION_SUPPORT') AS pov,
         p.five_class IN ('SUBSTANDARD', 'DOUBTFUL', 'LOSS') AS npl,
         EXISTS (SELECT 1 FROM contract_link cl JOIN insurance_policy ip ON ip.id = cl.policy_id
                  WHERE cl.loan_id = l.id AND cl.status = 'LINKED' AND ip.starts_on <= d.d AND ip.ends_on >= d.d) AS ins,
         EXISTS (SELECT 1 FROM contract_link cl JOIN guarantee_contract g ON g.id = cl.guarantee_id
                  WHERE cl.loan_id = l.id AND cl.status = 'LINKED' AND g.starts_on <= d.d AND g.ends_on >= d.d AND (g.released_on IS NULL OR g.released_on > d.d)) AS gua,
         EXISTS (SELECT 1 FROM loan_modification m WHERE m.loan_id = l.id AND m.kind IN ('EPIDEMIC_DEFERRAL', 'DISASTER_DEFERRAL')
                    AND m.effective_on <= d.d AND m.new_matures_on >= d.d) AS deferred,
         EXISTS (SELECT 1 FROM loan_modification m WHERE m.loan_id = l.id AND m.effective_on <= d.d AND m.effective_on > (d.d - interval '12 months')) AS modified,
         EXISTS (SELECT 1 FROM loan_modification m WHERE m.loan_id = l.id AND m.classification_relief AND m.effective_on <= d.d AND m.new_matures_on >= d.d) AS relief,
         COALESCE((SELECT max(v.rank) FROM (VALUES (1, 'special_mention'), (2, 'substandard'), (3, 'doubtful'), (4, 'loss')) v(rank, name)
                    WHERE p.overdue_days >= (SELECT pp.value FROM policy_parameter pp WHERE pp.key = 'classification.floor_days.' || v.name
                                               AND pp.valid_from <= d.d AND (pp.valid_to IS NULL OR pp.valid_to > d.d) ORDER BY pp.valid_from DESC LIMIT 1)), 0) AS floor_rank,
         array_position(ARRAY['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS'], p.five_class::text) - 1 AS class_rank
    FROM d, loan_position p JOIN loan l ON l.id = p.loan_id
   WHERE p.is_latest AND p.month_end = d.d AND p.county_code IN (SELECT code FROM inarea) AND (l.closed_on IS NULL OR l.closed_on > d.d)
),
pl AS (
  SELECT COALESCE(sum(balance), 0) AS bal, COALESCE(sum(balance) FILTER (WHERE pov), 0) AS pov_bal,
         COALESCE(sum(overdue_principal) FILTER (WHERE pov), 0) AS pov_od,
         COALESCE(sum(balance) FILTER (WHERE pov AND overdue_days > 90), 0) AS pov_od90,
         COALESCE(sum(balance) FILTER (WHERE pov AND npl), 0) AS pov_npl,
         COALESCE(sum(balance) FILTER (WHERE pov AND deferred), 0) AS pov_def,
         COALESCE(sum(balance) FILTER (WHERE pov AND modified), 0) AS pov_mod,
         COALESCE(sum(balance) FILTER (WHERE pov AND floor_rank > class_rank AND NOT relief), 0) AS pov_und,
         COALESCE(sum(balance) FILTER (WHERE pov AND gua), 0) AS pov_gua,
         COALESCE(sum(balance) FILTER (WHERE product = 'INCLUSIVE_SMALL_MICRO'), 0) AS ism,
         COALESCE(sum(balance) FILTER (WHERE ins OR gua), 0) AS pkg_bal,
         count(*) FILTER (WHERE balance > 0) AS loans,
         count(*) FILTER (WHERE balance > 0 AND (ins OR gua)) AS pkg_loans,
         count(DISTINCT household_id) FILTER (WHERE balance > 0) AS borrowers,
         count(DISTINCT household_id) FILTER (WHERE balance > 0 AND (ins OR gua)) AS pkg_hh
    FROM pos
),
hc AS (
  SELECT count(*) FILTER (WHERE status IN ('REGISTERED_POOR', 'LIFTED_OUT')) AS reg,
         count(*) FILTER (WHERE status IN ('REGISTERED_POOR', 'LIFTED_OUT') AND has_mc) AS reg_mc,
         count(*) FILTER (WHERE status IN ('REGISTERED_POOR', 'LIFTED_OUT') AND ever_mc) AS reg_ever,
         count(*) FILTER (WHERE status IN ('REGISTERED_POOR', 'LIFTED_OUT') AND insured) AS reg_ins,
         count(*) FILTER (WHERE status = 'MARGINAL') AS marg,
         count(*) FILTER (WHERE status = 'MARGINAL' AND has_mc) AS marg_mc
    FROM hh
),
ins AS (
  SELECT COALESCE(sum(premium), 0) AS premium,
         COALESCE(sum(central_share + provincial_share + county_share + poverty_fund_share), 0) AS subsidy,
         COALESCE(sum(sum_insured), 0) AS sum_insured
    FROM insurance_policy, d WHERE starts_on BETWEEN d.jan1 AND d.d AND county_code IN (SELECT code FROM inarea)
),
clm AS (SELECT COALESCE(sum(paid_amount), 0) AS paid FROM claim, d WHERE paid_on BETWEEN d.jan1 AND d.d AND county_code IN (SELECT code FROM inarea)),
gua AS (
  SELECT (SELECT COALESCE(sum(guaranteed_amount), 0) FROM guarantee_contract WHERE starts_on <= d.d AND ends_on >= d.d
            AND (released_on IS NULL OR released_on > d.d) AND county_code IN (SELECT code FROM inarea)) AS balance,
         (SELECT COALESCE(sum(amount), 0) FROM compensation WHERE paid_on BETWEEN d.jan1 AND d.d AND county_code IN (SELECT code FROM inarea)) AS comp,
         (SELECT COALESCE(sum(amount), 0) FROM compensation_recovery WHERE recovered_on BETWEEN d.jan1 AND d.d AND county_code IN (SELECT code FROM inarea)) AS recov
    FROM d
),
fund AS (
  SELECT (SELECT COALESCE(sum(CASE kind WHEN 'TOP_UP' THEN amount WHEN 'WITHDRAWAL' THEN -amount END), 0) FROM fund_movement fm
           WHERE fm.occurred_on <= d.d AND fm.fund_id IN (SELECT id FROM risk_compensation_fund WHERE county_code IN (SELECT code FROM inarea))) AS capital,
         (SELECT COALESCE(sum(amount), 0) FROM fund_movement fm
           WHERE fm.kind = 'PAYOUT' AND fm.occurred_on <= d.d AND fm.fund_id IN (SELECT id FROM risk_compensation_fund WHERE county_code IN (SELECT code FROM inarea))) AS payouts,
         (SELECT COALESCE(sum(p.balance), 0) FROM loan_position p JOIN loan l ON l.id = p.loan_id
           WHERE p.is_latest AND p.month_end = d.d AND (l.closed_on IS NULL OR l.closed_on > d.d)
             AND l.risk_compensation_fund_id IN (SELECT id FROM risk_compensation_fund WHERE county_code IN (SELECT code FROM inarea))) AS backed
    FROM d
),
rl AS (
  SELECT COALESCE(sum(r.amount), 0) AS bal,
         COALESCE(sum(r.amount) FILTER (WHERE EXISTS (SELECT 1 FROM area_designation ad WHERE ad.kind = 'DEEPLY_IMPOVERISHED'
                   AND r.county_code LIKE ad.area_code || '%' AND ad.valid_from <= d.d AND COALESCE(ad.valid_to, 'infinity'::date) > d.d)), 0) AS deep
    FROM relending_facility r, d
   WHERE r.drawn_on <= d.d AND (r.repaid_on IS NULL OR r.repaid_on > d.d) AND r.county_code IN (SELECT code FROM inarea)
),
vc AS (
  SELECT count(*) AS villages,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM service_point sp WHERE sp.village_code = a.code AND sp.opened_on <= d.d
                                          AND (sp.closed_on IS NULL OR sp.closed_on > d.d))) AS covered
    FROM area a, d
   WHERE a.level = 'VILLAGE' AND substr(a.code, 10, 3)::int BETWEEN 200 AND 399 AND ($2::text[] IS NULL OR left(a.code, 6) = ANY($2::text[]))
),
lk AS (
  SELECT COALESCE(sum(households) FILTER (WHERE mode = 'EMPLOYMENT'), 0) AS employed, COALESCE(sum(households), 0) AS linked
    FROM (SELECT DISTINCT ON (el.enterprise_id, el.mode) el.mode, el.households FROM enterprise_linkage el, d
           WHERE el.as_of <= d.d AND el.county_code IN (SELECT code FROM inarea) ORDER BY el.enterprise_id, el.mode, el.as_of DESC) x
),
dk AS (
  SELECT COALESCE(sum(dp.signed), 0) AS signed, COALESCE(sum(dp.disbursed), 0) AS disbursed
    FROM docking_project dp JOIN docking_event de ON de.id = dp.event_id, d
   WHERE de.held_on BETWEEN d.jan1 AND d.d AND dp.county_code IN (SELECT code FROM inarea)
)
SELECT
  round(pl.pov_bal, 2)::text AS "POVERTY_LOAN_BALANCE",
  round(pl.bal, 2)::text AS "LOAN_BALANCE",
  pl.loans::text AS "OUTSTANDING_LOANS",
  pl.borrowers::text AS "BORROWER_HOUSEHOLDS",
  round(pl.ism, 2)::text AS "INCLUSIVE_SMALL_MICRO_BALANCE",
  round(pl.ism / NULLIF(pl.bal, 0), 6)::text AS "INCLUSIVE_SMALL_MICRO_SHARE",
  hc.reg::text AS "REGISTERED_HOUSEHOLDS",
  round(hc.reg_mc::numeric / NULLIF(hc.reg, 0), 6)::text AS "MICROCREDIT_COVERAGE",
  round(hc.reg_ever::numeric / NULLIF(hc.reg, 0), 6)::text AS "MICROCREDIT_CUMULATIVE_COVERAGE",
  hc.marg::text AS "MARGINAL_HOUSEHOLDS",
  round(hc.marg_mc::numeric / NULLIF(hc.marg, 0), 6)::text AS "MARGINAL_MICROCREDIT_COVERAGE",
  round(pl.pov_od / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_OVERDUE_RATIO",
  round(pl.pov_od90 / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_OVERDUE_90_RATIO",
  round(pl.pov_npl / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_NPL_RATIO",
  round(pl.pov_def, 2)::text AS "POVERTY_LOAN_DEFERRED_BALANCE",
  round(pl.pov_mod / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_MODIFIED_SHARE",
  round(pl.pov_und / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_CLASS_UNDERSTATED_SHARE",
  round(ins.premium, 2)::text AS "INSURANCE_PREMIUM",
  round(ins.subsidy / NULLIF(ins.premium, 0), 6)::text AS "INSURANCE_PREMIUM_SUBSIDY_SHARE",
  round(ins.sum_insured, 2)::text AS "INSURANCE_SUM_INSURED",
  hc.reg_ins::text AS "INSURED_REGISTERED_HOUSEHOLDS",
  round(hc.reg_ins::numeric / NULLIF(hc.reg, 0), 6)::text AS "INSURANCE_COVERAGE",
  round(clm.paid, 2)::text AS "INSURANCE_CLAIMS_PAID",
  round(clm.paid / NULLIF(ins.premium, 0), 6)::text AS "INSURANCE_LOSS_RATIO",
  round(gua.balance, 2)::text AS "GUARANTEED_BALANCE",
  round(pl.pov_gua / NULLIF(pl.pov_bal, 0), 6)::text AS "POVERTY_LOAN_GUARANTEED_SHARE",
  round(gua.comp, 2)::text AS "GUARANTEE_COMPENSATIONS",
  round(gua.recov, 2)::text AS "GUARANTEE_RECOVERIES",
  round(fund.backed / NULLIF(fund.capital, 0), 6)::text AS "FUND_LEVERAGE",
  round(fund.payouts / NULLIF(fund.capital, 0), 6)::text AS "FUND_UTILISATION",
  pl.pkg_loans::text AS "PACKAGED_LOANS",
  round(pl.pkg_bal, 2)::text AS "PACKAGED_BALANCE",
  pl.pkg_hh::text AS "PACKAGED_HOUSEHOLDS",
  round(pl.pkg_bal / NULLIF(pl.bal, 0), 6)::text AS "PACKAGED_LOAN_SHARE",
  round(rl.bal, 2)::text AS "RELENDING_BALANCE",
  round(rl.deep / NULLIF(rl.bal, 0), 6)::text AS "RELENDING_DEEP_AREA_SHARE",
  round(vc.covered::numeric / NULLIF(vc.villages, 0), 6)::text AS "SERVICE_VILLAGE_COVERAGE",
  lk.employed::text AS "ENTERPRISE_EMPLOYED_HOUSEHOLDS",
  lk.linked::text AS "ENTERPRISE_LINKED_HOUSEHOLDS",
  round(dk.disbursed / NULLIF(dk.signed, 0), 6)::text AS "DOCKING_CONVERSION"
FROM pl, hc, ins, clm, gua, fund, rl, vc, lk, dk`;
