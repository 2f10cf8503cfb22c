/**
 * Small-cell suppression (DESIGN.md §3): an aggregate over fewer than k households is
 * withheld from a caller without row access to them.
 *
 * The unit is the party behind the rows — a household, or an enterprise, a group policy
 * or a borrowing institution where rows are theirs — and what counts is the parties the
 * caller *cannot* see: a cell is suppressed when 0 < hidden parties < k, for its
 * numerator or its denominator. A bank's figure that mixes its own book with one
 * competitor's household is therefore suppressed even when the cell holds many of the
 * bank's own households: subtracting its own book would reveal the competitor's one.
 *
 * Within a breakdown the groups add up to the area's total, which the caller can also
 * ask for; so when cells are suppressed, further cells are suppressed (the smallest
 * first) until the suppressed cells together hide at least k parties in numerator and
 * denominator alike, or nothing is left to suppress. Counts across cells are summed, an
 * upper bound when one party sits in several groups.
 *
 * GOVERNMENT and REGULATOR see every row in their scope (the area must be in it) and are
 * never suppressed; ADMIN sees no aggregates at all.
 */
import type { Principal } from '../access';
import type { Cell } from './indicator-engine';

/** Whether figures shown to this principal are subject to suppression. */
export function suppressionApplies(principal: Readonly<Principal>): boolean {
  return principal.role !== 'GOVERNMENT' && principal.role !== 'REGULATOR';
}

const small = (hidden: number, k: number) => hidden > 0 && hidden < k;

/** Primary suppression of one cell. */
export function isSmallCell(cell: Cell, k: number): boolean {
  return small(cell.numeratorHidden, k) || small(cell.denominatorHidden, k);
}

/**
 * Complementary suppression over the cells of one date across the groups of a
 * breakdown. `suppressed[i]` says whether cell i is suppressed already (primary, or
 * withheld for another reason that also hides it); returns the final flags.
 */
export function complementarySuppression(cells: readonly Cell[], suppressed: readonly boolean[], k: number): boolean[] {
  const result = [...suppressed];
  const totals = () => {
    let numerator = 0;
    let denominator = 0;
    cells.forEach((cell, i) => {
      if (result[i]) {
        numerator += cell.numeratorHidden;
        denominator += cell.denominatorHidden;
      }
    });
    return { numerator, denominator };
  };
  if (!result.some(Boolean)) return result;
  for (;;) {
    const { numerator, denominator } = totals();
    if (!small(numerator, k) && !small(denominator, k)) return result;
    // The next cell to withhold: one whose hidden parties add protection, smallest first
    // (a cell of the caller's own rows alone adds nothing: it knows those values).
    let pick = -1;
    let pickWeight = Number.POSITIVE_INFINITY;
    cells.forEach((cell, i) => {
      const weight = cell.numeratorHidden + cell.denominatorHidden;
      if (!result[i] && weight > 0 && weight < pickWeight) {
        pick = i;
        pickWeight = weight;
      }
    });
    if (pick < 0) return result;
    result[pick] = true;
  }
}
