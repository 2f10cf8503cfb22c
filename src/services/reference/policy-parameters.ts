/**
 * The default policy parameters every Tripod database starts with. They are data, dated
 * and with their basis, because rules must read the value in force on the date in
 * question and regulators change them; the ADMIN role adds new versions through the API.
 * Values tagged [K] in DOMAIN.md are background knowledge: the basis text says so.
 */
export interface DefaultParameter {
  key: string;
  value: string;
  unit: 'YUAN' | 'MONTHS' | 'DAYS' | 'RATE' | 'COUNT' | 'RATIO';
  validFrom: string;
  validTo?: string;
  basis: string;
  description: string;
}

const SIX_POINTS = '扶贫小额信贷 "six key points" (5万元以下、3年期以内…), unchanged 2014–2020 (DOMAIN.md §1.4)';
const PRACTICE_2007 = '1998 PBOC principles / 2007 CBRC 贷款风险分类指引 common practice table; 2019 push: > 90 days overdue must be NPL (DOMAIN.md §1.6)';
const RULES_2023 = '商业银行金融资产风险分类办法, effective 1 Jul 2023 (DOMAIN.md §1.6; final thresholds [K])';

export const DEFAULT_POLICY_PARAMETERS: readonly DefaultParameter[] = [
  { key: 'microcredit.max_amount', value: '50000', unit: 'YUAN', validFrom: '2014-01-01', basis: SIX_POINTS, description: 'Largest poverty micro-credit amount per household' },
  { key: 'microcredit.max_term_months', value: '36', unit: 'MONTHS', validFrom: '2014-01-01', basis: SIX_POINTS, description: 'Longest poverty micro-credit term' },
  { key: 'microcredit.min_borrower_age', value: '18', unit: 'COUNT', validFrom: '2014-01-01', basis: 'Borrower age 18–65 inclusive, upper bound raised to 65 in 2019 (DOMAIN.md §1.4)', description: 'Youngest eligible borrower, years' },
  { key: 'microcredit.max_borrower_age', value: '60', unit: 'COUNT', validFrom: '2014-01-01', validTo: '2019-01-01', basis: 'Upper age bound before the 2019 change ([K]; DOMAIN.md §1.4)', description: 'Oldest eligible borrower, years' },
  { key: 'microcredit.max_borrower_age', value: '65', unit: 'COUNT', validFrom: '2019-01-01', basis: 'Borrower age 18–65 inclusive since 2019 (DOMAIN.md §1.4)', description: 'Oldest eligible borrower, years' },
  { key: 'guarantee.max_fee_rate', value: '0.008', unit: 'RATE', validFrom: '2017-01-01', basis: 'National agricultural credit guarantee system: fee ≤ 0.8 % p.a. (DOMAIN.md §1.9)', description: 'Highest annual guarantee fee rate' },
  { key: 'classification.floor_days.special_mention', value: '1', unit: 'DAYS', validFrom: '2007-01-01', basis: PRACTICE_2007, description: 'Overdue days from which a loan is at least SPECIAL_MENTION' },
  { key: 'classification.floor_days.substandard', value: '91', unit: 'DAYS', validFrom: '2007-01-01', basis: PRACTICE_2007, description: 'Overdue days from which a loan is at least SUBSTANDARD' },
  { key: 'classification.floor_days.doubtful', value: '181', unit: 'DAYS', validFrom: '2007-01-01', validTo: '2023-07-01', basis: PRACTICE_2007, description: 'Overdue days from which a loan is at least DOUBTFUL' },
  { key: 'classification.floor_days.doubtful', value: '271', unit: 'DAYS', validFrom: '2023-07-01', basis: RULES_2023, description: 'Overdue days from which a loan is at least DOUBTFUL' },
  { key: 'classification.floor_days.loss', value: '361', unit: 'DAYS', validFrom: '2007-01-01', basis: PRACTICE_2007, description: 'Overdue days from which a loan is at least LOSS' },
  { key: 'insurance.claim_payment_days', value: '10', unit: 'DAYS', validFrom: '2013-03-01', basis: '农业保险条例: payment within 10 days of agreement (DOMAIN.md §1.8; [K])', description: 'Days allowed between claim agreement and payment' },
  { key: 'relending.max_rollovers', value: '4', unit: 'COUNT', validFrom: '2016-03-01', basis: 'Poverty re-lending: up to 4 rollovers, effective use ≤ 5 years (DOMAIN.md §1.7)', description: 'Most rollovers of one re-lending draw' },
  { key: 'suppression.min_households', value: '5', unit: 'COUNT', validFrom: '2014-01-01', basis: 'DESIGN.md §3: aggregates over fewer than k households are suppressed (default 5)', description: 'Smallest cell shown to roles without row access' },
];
