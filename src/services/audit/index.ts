/**
 * The tamper-evident audit log (DESIGN.md §3): every read of household PII and every
 * admin action, written before the response leaves the hub.
 *
 * - `createAuditSink` — one per request; `record` buffers, `flush` writes all rows in one
 *   INSERT (call it from Apollo `willSendResponse`; if it throws, do not send the data).
 * - `chainPending` / `startChainer` — link committed entries into a SHA-256 hash chain,
 *   one chainer at a time (advisory lock), in commit-visibility order.
 * - `verifyAuditChain` / `npm run audit:verify` — recompute the chain; report the head to
 *   keep as an external anchor, which also catches a removed tail or a recomputed chain.
 *
 * Retention: entries are kept forever in the hub. Nothing in Tripod deletes, archives or
 * rewrites them; how long regulators require them kept beyond that, and any export to
 * their archives, is the regulators' decision. Entries hold ids and field names, never
 * PII values, national ID numbers or their hashes.
 */
export * from './audit-entry';
export * from './audit-sink';
export * from './audit-canonical';
export * from './audit-chainer';
export * from './audit-verifier';
export * from './audit-log.reader';
