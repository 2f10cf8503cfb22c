/**
 * The daily cost budget's admission of one operation, as an error to return rather than
 * throw: the WebSocket server answers a refused subscribe with its errors, while the HTTP
 * plugin (`limits.plugin.ts`) throws the same refusal with an HTTP status. Both refuse
 * with `RATE_LIMITED` / `limit: dailyCostBudget` and the seconds until China midnight,
 * when budgets reset.
 */
import type { GraphQLError } from 'graphql';
import { nextChinaMidnight, type CostLedger } from './cost-ledger';
import { limitError } from './limit.errors';
import type { LimitSettings } from './limits.config';
import { rateLimited } from './usage';

/**
 * Charges `cost` to today's counter of `key` when it fits in the role's budget (one
 * statement, `CostLedger.admit`) and returns null; otherwise charges nothing and returns
 * the refusal. A ledger that cannot be reached refuses with `DATABASE_UNAVAILABLE`.
 */
export async function budgetRefusal(ledger: CostLedger, key: string, cost: number, limits: LimitSettings, at: Date): Promise<GraphQLError | null> {
  let admission: { charged: boolean; cost: number };
  try {
    admission = await ledger.admit(key, cost, limits.dailyCostBudget);
  } catch {
    return limitError('DATABASE_UNAVAILABLE', 'The daily budget could not be checked; try again shortly');
  }
  if (admission.charged) return null;
  const remaining = Math.max(0, limits.dailyCostBudget - admission.cost);
  const resetsAt = nextChinaMidnight(at);
  const retryAfterSeconds = Math.max(1, Math.ceil((resetsAt.getTime() - at.getTime()) / 1000));
  return rateLimited(
    `Daily cost budget of ${limits.dailyCostBudget} exhausted: this request costs ${cost} and ${remaining} remain until ${resetsAt.toISOString()}`,
    'dailyCostBudget',
    limits.dailyCostBudget,
    retryAfterSeconds,
  );
}
