/**
 * Global object identification: a node id is the base64url of `<TypeName>:<key>`. Ids
 * are opaque to clients; only `node(id)` and the types themselves read them.
 */
import { isHouseholdRef } from '../services/identity';
import { BadUserInputError } from './errors';

/** Each Node type and the shape of its key (what `<key>` may be). */
const KEY_SHAPES = {
  Area: /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/,
  AreaDesignation: /^[1-9]\d{0,18}$/,
  County: /^\d{6}$/,
  Institution: /^[A-Za-z0-9_.-]{1,32}$/,
  Household: { test: (key: string) => isHouseholdRef(key) },
  HouseholdStatusChange: /^[1-9]\d{0,18}$/,
  Enterprise: /^[0-9A-HJ-NPQRTUWXY]{18}$/,
  Loan: /^[1-9]\d{0,18}$/,
  LoanPosition: /^[1-9]\d{0,18}$/,
  InsurancePolicy: /^[1-9]\d{0,18}$/,
  Claim: /^[1-9]\d{0,18}$/,
  GuaranteeContract: /^[1-9]\d{0,18}$/,
  ServicePoint: /^[1-9]\d{0,18}$/,
  RelendingFacility: /^[1-9]\d{0,18}$/,
  RiskCompensationFund: /^[1-9]\d{0,18}$/,
  LoanModification: /^[1-9]\d{0,18}$/,
  Repayment: /^[1-9]\d{0,18}$/,
  LoanVersion: /^[1-9]\d{0,18}$/,
  PolicyInsuredHousehold: /^[1-9]\d{0,18}$/,
  Compensation: /^[1-9]\d{0,18}$/,
  DisasterEvent: /^[1-9]\d{0,18}$/,
  DisasterArea: /^[1-9]\d{0,18}$/,
  DockingEvent: /^[1-9]\d{0,18}$/,
  DockingProject: /^[1-9]\d{0,18}$/,
  Finding: /^[1-9]\d{0,18}$/,
  RectificationStep: /^[1-9]\d{0,18}$/,
  Alert: /^[1-9]\d{0,18}$/,
  Consent: /^[1-9]\d{0,18}$/,
  PolicyParameter: /^[1-9]\d{0,18}$/,
  AuditLogEntry: /^[1-9]\d{0,18}$/,
} as const;

export type NodeTypeName = keyof typeof KEY_SHAPES;

export interface GlobalId {
  type: NodeTypeName;
  key: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_ROW_ID = 9223372036854775807n;
const MAX_ID_LENGTH = 200;

export function toGlobalId(type: NodeTypeName, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

/**
 * Decodes a node id.
 *
 * @throws BadUserInputError when the id is not one this API issued (bad encoding,
 *   unknown type, a key of the wrong shape).
 */
export function fromGlobalId(id: string): GlobalId {
  const malformed = () => new BadUserInputError('Malformed node id', 'id');
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !BASE64URL.test(id)) throw malformed();
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Round-trip check: rejects non-canonical encodings and bytes that are not UTF-8.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) throw malformed();
  const colon = text.indexOf(':');
  if (colon <= 0) throw malformed();
  const type = text.slice(0, colon);
  const key = text.slice(colon + 1);
  if (!Object.prototype.hasOwnProperty.call(KEY_SHAPES, type)) throw malformed();
  if (!KEY_SHAPES[type as NodeTypeName].test(key)) throw malformed();
  // Row ids are bigints: 19 digits can still be past the range PostgreSQL can cast.
  if (key.length === 19 && /^\d+$/.test(key) && BigInt(key) > MAX_ROW_ID) throw malformed();
  return { type: type as NodeTypeName, key };
}
