import type { Inst, Provenance } from './batches';
import { HORIZON, iso, WINDOW_START, type Day } from './calendar';
import { next, oneIn, recordVersion, type DemoContext } from './context';
import type { HouseholdInfo } from './households';
import type { Borrower, LoanOutcome } from './loans';
import { mulDiv, PPM, ppmString, yuan } from './money';
import type { Rng } from './prng';

/** Risk shares in ppm: guarantor, bank, government, re-guarantee fund. */
type Shares = readonly [number, number, number, number];

/** The "4321" split: guarantor 40 %, re-guarantor 30 %, bank 20 %, government 10 %. */
const SPLIT_4321: Shares = [400_000, 200_000, 100_000, 300_000];
/** Bank : guarantor = 2 : 8, the common minimum bank share in agricultural credit guarantees. */
const SPLIT_2_8: Shares = [800_000, 200_000, 0, 0];

export interface GuaranteeOutcome {
  id: number;
  ref: string;
  guarantor: Inst;
  provenance: Provenance;
}

/** The contract a guarantee covers: a generated loan, or one the bank has not reported yet. */
export interface Covered {
  countyCode: string;
  borrower: Borrower;
  amount: number;
  startsOn: Day;
  endsOn: Day;
  loan: LoanOutcome | null;
}

/**
 * A guarantee contract covering a loan, with the guarantor's compensation when the loan
 * defaults and recoveries later. Fees are mostly within the cap read from the policy
 * parameters; one in fifty is above it, for the early-warning rule.
 */
export function emitGuarantee(ctx: DemoContext, rng: Rng, guarantor: Inst, covered: Covered): GuaranteeOutcome {
  // The cap in force when the contract reaches the hub (older contracts predate the parameter).
  const cap = ctx.params.guaranteeMaxFeePpm(Math.max(covered.startsOn, WINDOW_START));
  const feePpm = oneIn(ctx, 'guarantee-fee-above-cap', 50) ? cap + rng.int(2, 7) * 1000 : Math.min(cap, rng.pick([5_000, 6_000, 7_000, 8_000]));
  const shares = rng.chance(0.6) ? SPLIT_2_8 : SPLIT_4321;
  const guaranteed = rng.chance(0.5) ? covered.amount : mulDiv(covered.amount, 800_000, PPM);
  const loan = covered.loan;
  const releasedOn = loan !== null && loan.closure === 'SETTLED' ? loan.closedOn : null;
  const id = ctx.writer.id('guarantee_contract');
  const ref = `G-${covered.countyCode}-${iso(covered.startsOn).slice(0, 4)}-${String(next(ctx, `guarantee:${guarantor.code}`)).padStart(6, '0')}`;
  const provenance = ctx.batches.uncounted(guarantor, 'guarantees', covered.startsOn);
  const borrower = covered.borrower;
  const terms = {
    guarantorCode: guarantor.code,
    ref,
    countyCode: covered.countyCode,
    borrowerKind: borrower.kind,
    householdRef: borrower.kind === 'HOUSEHOLD' ? borrower.ref : null,
    enterpriseCreditCode: borrower.kind === 'ENTERPRISE' ? borrower.creditCode : null,
    guaranteedAmount: yuan(guaranteed),
    feeRate: ppmString(feePpm),
    guarantorShare: ppmString(shares[0]),
    bankShare: ppmString(shares[1]),
    governmentShare: ppmString(shares[2]),
    reguaranteeShare: ppmString(shares[3]),
    startsOn: iso(covered.startsOn),
    endsOn: iso(covered.endsOn),
  };
  ctx.writer.add('guarantee_contract', {
    id,
    ...provenance,
    institution_id: guarantor.id,
    ref,
    county_code: covered.countyCode,
    borrower_kind: borrower.kind,
    household_id: borrower.kind === 'HOUSEHOLD' ? borrower.id : null,
    enterprise_id: borrower.kind === 'ENTERPRISE' ? borrower.id : null,
    guaranteed_amount: terms.guaranteedAmount,
    fee_rate: terms.feeRate,
    guarantor_share: terms.guarantorShare,
    bank_share: terms.bankShare,
    government_share: terms.governmentShare,
    reguarantee_share: terms.reguaranteeShare,
    starts_on: terms.startsOn,
    ends_on: terms.endsOn,
    released_on: releasedOn === null ? null : iso(releasedOn),
    version: 1,
  });
  recordVersion(ctx, 'GUARANTEE_CONTRACT', id, 1, covered.countyCode, terms, provenance);

  // Compensation (代偿) once the loan is 90–150 days overdue and not cured by then.
  if (loan !== null && loan.overdueSince !== null && rng.chance(0.7)) {
    const paidOn = loan.overdueSince + rng.int(90, 150);
    const cured = loan.curedOn !== null && loan.curedOn <= paidOn;
    const closedBefore = loan.closedOn !== null && loan.closedOn <= paidOn;
    if (paidOn <= HORIZON && !cured && !closedBefore) {
      const amount = Math.min(guaranteed, mulDiv(loan.overdueAt(paidOn), PPM - shares[1], PPM));
      if (amount > 0) {
        const compensationId = ctx.writer.id('compensation');
        ctx.writer.add('compensation', {
          id: compensationId,
          ...ctx.batches.provenance(guarantor, 'compensations', paidOn),
          guarantee_id: id,
          institution_id: guarantor.id,
          ref: `${ref}-C1`,
          county_code: covered.countyCode,
          amount: yuan(amount),
          paid_on: iso(paidOn),
        });
        const recoveredOn = paidOn + rng.int(60, 300);
        if (rng.chance(0.4) && recoveredOn <= HORIZON) {
          ctx.writer.add('compensation_recovery', {
            id: ctx.writer.id('compensation_recovery'),
            ...ctx.batches.provenance(guarantor, 'recoveries', recoveredOn),
            compensation_id: compensationId,
            ref: `${ref}-C1-R1`,
            county_code: covered.countyCode,
            amount: yuan(Math.max(1, mulDiv(amount, rng.int(10, 50), 100))),
            recovered_on: iso(recoveredOn),
          });
        }
      }
    }
  }
  return { id, ref, guarantor, provenance };
}

/**
 * A contract link naming the covered loan by bank code and loan reference, submitted
 * with the policy or guarantee (same batch). LINKED when the loan exists, PENDING when
 * it names a loan the bank has not reported.
 */
export function emitLink(
  ctx: DemoContext,
  contract: { policyId: number } | { guaranteeId: number },
  submitter: Inst,
  provenance: Provenance,
  countyCode: string,
  bankCode: string,
  loanRef: string,
  loan: LoanOutcome | null,
): void {
  ctx.batches.countItem(provenance.batch_id);
  ctx.writer.add('contract_link', {
    id: ctx.writer.id('contract_link'),
    ...provenance,
    policy_id: 'policyId' in contract ? contract.policyId : null,
    guarantee_id: 'guaranteeId' in contract ? contract.guaranteeId : null,
    submitter_id: submitter.id,
    bank_code: bankCode,
    loan_ref: loanRef,
    loan_id: loan?.id ?? null,
    status: loan === null ? 'PENDING' : 'LINKED',
    linked_at: loan === null ? null : provenance.received_at > loan.receivedAt ? provenance.received_at : loan.receivedAt,
    county_code: countyCode,
  });
}

/** A household's consent to share with an institution, recorded by the county government; a few later revoked. */
export function emitConsent(ctx: DemoContext, rng: Rng, household: HouseholdInfo, institution: Inst, givenOn: Day): void {
  const government = ctx.institutions.counties.get(household.county.code)!.government;
  const given = Math.min(givenOn, HORIZON);
  const revokedOn = rng.chance(0.05) ? given + rng.int(30, 300) : null;
  const revoked = revokedOn !== null && revokedOn <= HORIZON ? revokedOn : null;
  ctx.writer.add('consent', {
    id: ctx.writer.id('consent'),
    ...ctx.batches.provenance(government, 'consents', revoked ?? given),
    household_id: household.id,
    institution_id: institution.id,
    county_code: household.county.code,
    given_at: `${iso(given)}T10:00:00+08:00`,
    revoked_at: revoked === null ? null : `${iso(revoked)}T10:00:00+08:00`,
    revoked_by_id: revoked === null ? null : government.id,
    evidence: `授权书编号 ${household.ref}-${institution.code}`,
  });
}
