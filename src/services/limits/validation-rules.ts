/**
 * The size limits as graphql `ValidationRule`s, for Apollo's `validationRules` (and
 * anything else that runs `validate`). Validation sees neither the caller nor the
 * variables, so these rules are a role-blind first line: give them `loosestLimits`;
 * `limitsPlugin` re-checks every operation with the caller's limits and the actual
 * variables in `didResolveOperation`.
 *
 * Apollo reports rule errors under `GRAPHQL_VALIDATION_FAILED`; `limitsFormatError`
 * restores their `QUERY_TOO_COMPLEX` / `BAD_USER_INPUT` code.
 */
import type { ASTVisitor, GraphQLError, OperationDefinitionNode, ValidationContext, ValidationRule } from 'graphql';
import type { LimitSettings } from './limits.config';
import { analyzeOperationNode, checkOperationLimits, type CostOptions, type OperationLimits } from './operation-analysis';

/** The page sizes a rule assumes: the contract's (DESIGN.md §2) unless given. */
export type PageSizes = Pick<LimitSettings, 'defaultPageSize' | 'maxPageSize'>;

const CONTRACT_PAGES: PageSizes = { defaultPageSize: 20, maxPageSize: 100 };

/**
 * Analyses each operation once, with variables unknown: a variable `first` counts its
 * default value, else `defaultPageSize` (a lower bound; the plugin counts the real one).
 */
function operationRule(limits: OperationLimits, pages: PageSizes): ValidationRule {
  const options: CostOptions = {
    defaultPageSize: pages.defaultPageSize,
    defaultListSize: pages.defaultPageSize,
    maxPageSize: limits.maxPageSize,
  };
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const analysis = analyzeOperationNode(context.getSchema(), context.getDocument(), operation, undefined, options);
      try {
        checkOperationLimits(analysis, limits);
      } catch (error) {
        context.reportError(error as GraphQLError);
      }
      // The analysis walked the whole operation: nothing left for this rule to visit.
      return false;
    },
  });
}

/** `Query depth 15 exceeds the limit of 12`; fragments followed, cycles safe. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return operationRule({ maxDepth }, CONTRACT_PAGES);
}

/** `Alias count 31 exceeds the limit of 30`. */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return operationRule({ maxAliases }, CONTRACT_PAGES);
}

/** `Root field count 11 exceeds the limit of 10`. */
export function rootFieldLimitRule(maxRootFields: number): ValidationRule {
  return operationRule({ maxRootFields }, CONTRACT_PAGES);
}

/**
 * `Query cost 60000 exceeds the limit of 50000`, counting literal page sizes (and
 * variables' defaults), and `first must be between 0 and 100` (`BAD_USER_INPUT`) for a
 * literal out of range.
 */
export function costLimitRule(maxCost: number, pages: PageSizes = CONTRACT_PAGES): ValidationRule {
  return operationRule({ maxCost, maxPageSize: pages.maxPageSize }, pages);
}

/**
 * All of the above in one rule (one analysis per operation), reporting the first limit
 * each operation breaks.
 */
export function limitsValidationRule(limits: LimitSettings): ValidationRule {
  return operationRule(limits, limits);
}
