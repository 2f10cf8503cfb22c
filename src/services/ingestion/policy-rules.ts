/**
 * Policy-compliance rules (DOMAIN.md §1.4, §1.6, §1.9). They never reject: the item
 * lands and each violation is returned as a warning and kept with the version's terms
 * (`terms.violations`), so regulators can find non-compliant contracts as reported.
 * Every limit comes from `policy_parameter` as in force on the date the rule concerns
 * (disbursement, month end, start of cover); a missing parameter means the rule is not
 * evaluated for that date.
 */
import { addMonths, unitsOf, yearsBetween } from './field-rules';
import type { PolicyViolation } from './ingestion.types';
import type { PolicyBook } from './policy-book';

const FIVE_CLASSES = ['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS'] as const;
export type FiveClassName = (typeof FIVE_CLASSES)[number];

function violation(
  code: string,
  path: string,
  message: string,
  parameter: { key: string; value: string } | null,
  actual: string | null,
  inForceOn: string,
): PolicyViolation {
  return { code, path, message, parameter: parameter?.key ?? null, limit: parameter?.value ?? null, actual, inForceOn };
}

/** What the micro-credit rules look at in a loan. */
export interface MicrocreditTerms {
  product: string;
  borrowerKind: 'HOUSEHOLD' | 'ENTERPRISE';
  /** Yuan, 2 decimals. */
  principal: string;
  disbursedOn: string;
  maturesOn: string;
  paidToAccount: string;
  /** The borrowing head's birth date, known only while the item is processed (from the ID number); never stored. */
  headBirthDate: string | null;
}

/**
 * Poverty micro-credit's policy terms ("≤ 50,000 yuan, ≤ 3 years", borrower aged 18–65,
 * borrowed, used and repaid by the household): amount and term caps and age bounds in
 * force at disbursement, and funds paid to an enterprise account (户贷企用).
 */
export function microcreditViolations(book: PolicyBook, terms: MicrocreditTerms): PolicyViolation[] {
  if (terms.product !== 'POVERTY_MICROCREDIT') return [];
  const on = terms.disbursedOn;
  const found: PolicyViolation[] = [];

  const maxAmount = book.valueOn('microcredit.max_amount', on);
  if (maxAmount !== null && unitsOf(terms.principal, 6) > unitsOf(maxAmount.value, 6)) {
    found.push(
      violation('MICROCREDIT_AMOUNT_ABOVE_CAP', 'principal', `Poverty micro-credit above the ${maxAmount.value} yuan cap in force on ${on}`, maxAmount, terms.principal, on),
    );
  }

  const maxTerm = book.valueOn('microcredit.max_term_months', on);
  if (maxTerm !== null) {
    const months = Number(unitsOf(maxTerm.value, 0));
    if (terms.maturesOn > addMonths(on, months)) {
      found.push(
        violation('MICROCREDIT_TERM_ABOVE_CAP', 'maturesOn', `Poverty micro-credit term longer than the ${months} months in force on ${on}`, maxTerm, terms.maturesOn, on),
      );
    }
  }

  if (terms.headBirthDate !== null) {
    // The age is derived from the ID number while the item is processed; only the bound is kept.
    const age = yearsBetween(terms.headBirthDate, on);
    const minAge = book.valueOn('microcredit.min_borrower_age', on);
    const maxAge = book.valueOn('microcredit.max_borrower_age', on);
    if (minAge !== null && age < Number(unitsOf(minAge.value, 0))) {
      found.push(violation('MICROCREDIT_BORROWER_TOO_YOUNG', 'borrower', `Borrower younger than ${minAge.value} at disbursement`, minAge, null, on));
    }
    if (maxAge !== null && age > Number(unitsOf(maxAge.value, 0))) {
      found.push(violation('MICROCREDIT_BORROWER_TOO_OLD', 'borrower', `Borrower older than ${maxAge.value} at disbursement`, maxAge, null, on));
    }
  }

  if (terms.borrowerKind === 'HOUSEHOLD' && (terms.paidToAccount === 'ENTERPRISE' || terms.paidToAccount === 'COOPERATIVE')) {
    found.push(
      violation(
        'HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT',
        'paidToAccount',
        'Poverty micro-credit paid to an enterprise or cooperative account (户贷企用 is not allowed)',
        null,
        terms.paidToAccount,
        on,
      ),
    );
  }
  return found;
}

/** The class the overdue days alone imply on `monthEnd`, or null when the floors are not all in force. */
export function classFloor(book: PolicyBook, overdueDays: number, monthEnd: string): { floor: FiveClassName; parameter: { key: string; value: string } | null } | null {
  const floors: Array<[FiveClassName, string]> = [
    ['LOSS', 'classification.floor_days.loss'],
    ['DOUBTFUL', 'classification.floor_days.doubtful'],
    ['SUBSTANDARD', 'classification.floor_days.substandard'],
    ['SPECIAL_MENTION', 'classification.floor_days.special_mention'],
  ];
  const values = floors.map(([cls, key]) => [cls, book.valueOn(key, monthEnd)] as const);
  if (values.some(([, value]) => value === null)) return null;
  for (const [cls, value] of values) {
    if (overdueDays >= Number(unitsOf(value!.value, 0))) return { floor: cls, parameter: value };
  }
  return { floor: 'NORMAL', parameter: null };
}

/**
 * A reported five-category class better than the floor its overdue days imply (DOMAIN.md
 * §1.6). Classification relief granted by a 2020 deferral is for the alert rule to weigh;
 * here the violation is recorded as reported.
 */
export function classificationViolations(
  book: PolicyBook,
  reported: FiveClassName,
  overdueDays: number,
  monthEnd: string,
): PolicyViolation[] {
  const floor = classFloor(book, overdueDays, monthEnd);
  if (floor === null || FIVE_CLASSES.indexOf(reported) >= FIVE_CLASSES.indexOf(floor.floor)) return [];
  return [
    violation(
      'CLASS_BETTER_THAN_FLOOR',
      'fiveClass',
      `${reported} is better than ${floor.floor}, the floor for ${overdueDays} overdue days in force on ${monthEnd}`,
      floor.parameter === null ? null : { key: floor.parameter.key, value: floor.floor },
      reported,
      monthEnd,
    ),
  ];
}

/** A guarantee fee above the cap in force when the cover starts (DOMAIN.md §1.9). */
export function guaranteeFeeViolations(book: PolicyBook, feeRate: string, startsOn: string): PolicyViolation[] {
  const cap = book.valueOn('guarantee.max_fee_rate', startsOn);
  if (cap === null || unitsOf(feeRate, 6) <= unitsOf(cap.value, 6)) return [];
  return [violation('GUARANTEE_FEE_ABOVE_CAP', 'feeRate', `Guarantee fee rate above the ${cap.value} cap in force on ${startsOn}`, cap, feeRate, startsOn)];
}

/** The violations as kept in a version's terms (`terms.violations`): what, against which value, in force when. */
export function violationsForTerms(violations: readonly PolicyViolation[]): Array<Record<string, string>> {
  return violations.map((v) => {
    const entry: Record<string, string> = { code: v.code, field: v.path };
    if (v.parameter !== null) entry.parameter = v.parameter;
    if (v.limit !== null) entry.limit = v.limit;
    if (v.actual !== null) entry.actual = v.actual;
    if (v.inForceOn !== null) entry.inForceOn = v.inForceOn;
    return entry;
  });
}
