/**
 * The lists of parties, places and oversight records: households, counties,
 * institutions, enterprises, service points, docking events and projects, disaster
 * events and areas, findings and alerts.
 */
import { FALSE, pgArray, raw, sql } from '../db/sql';
import {
  alertScope,
  disasterScope,
  dockingEventScope,
  dockingProjectScope,
  enterpriseScope,
  findingScope,
  householdScope,
  referenceScope,
  servicePointScope,
} from '../services/access';
import { isHouseholdRef } from '../services/identity';
import { nullableIn } from './contract.lists';
import {
  areaField,
  booleanColumn,
  codeList,
  dateOf,
  dateRange,
  decimalRange,
  designationField,
  householdStatusAt,
  inList,
  institutionCodes,
  intRange,
  key,
  likePattern,
  uniqueKey,
  type CompileContext,
  type EntityList,
  type FilterField,
} from './list-kit';
import { columns } from './rows';
import { surfaceColumns } from './surface-rows';

const REF = /^[^\u0000]{1,64}$/u;
const REF_MESSAGE = 'A reference has 1 to 64 characters';

/** Whether something open over [opened, closed) is open on the connection's date. */
function openOn(opened: string, closed: string): FilterField {
  return {
    kind: 'boolean',
    compile: (flag: boolean, c: CompileContext) => {
      const on = dateOf(c);
      const open = sql`(${raw(opened)} <= ${on}::date AND (${raw(closed)} IS NULL OR ${raw(closed)} > ${on}::date))`;
      return flag ? open : sql`(NOT ${open})`;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Households

export enum HouseholdOrderField {
  REF = 'REF',
  STATUS_SINCE = 'STATUS_SINCE',
  REGISTERED_ON = 'REGISTERED_ON',
}

export const HOUSEHOLDS: EntityList<HouseholdOrderField> = {
  name: 'Household',
  table: 'household h',
  columns: raw(columns.household('h')),
  scope: (principal) => householdScope(principal, 'h'),
  filters: {
    area: areaField('h.county_code', 'h.village_code'),
    designation_in: designationField('h.county_code'),
    status_in: {
      kind: 'in',
      compile: (statuses: string[], c: CompileContext) => {
        const status = householdStatusAt('h.id', 'h.status', c);
        const match = sql`${status} = ANY (${pgArray(statuses)}::text[])`;
        // Before its first status change a household has no status: it matches no list.
        return c.asOf === null ? match : sql`COALESCE(${match}, false)`;
      },
    },
    attribute_in: nullableIn('h.attribute'),
    registeredOn: dateRange('h.registered_on', true),
    size: intRange('h.size', 1, true),
    ref_in: {
      kind: 'in',
      pattern: { test: (ref: string) => isHouseholdRef(ref) },
      patternMessage: 'A household ref is H followed by 12 Crockford base32 characters',
      compile: (refs: string[]) => sql`h.ref = ANY (${pgArray(refs)}::text[])`,
    },
    // Names are stored encrypted (PII), so households are searched by their ref instead.
    refPrefix: {
      kind: 'text',
      pattern: /^H[0-9A-HJKMNP-TV-Z]{1,12}$/,
      patternMessage: 'A ref prefix is H followed by 1 to 12 Crockford base32 characters',
      compile: (prefix: string) => sql`h.ref LIKE ${likePattern(prefix, false)}`,
    },
  },
  orders: {
    REF: uniqueKey('h.ref', 'text'),
    STATUS_SINCE: key('h.status_since', 'date'),
    REGISTERED_ON: key('h.registered_on', 'date', true),
  },
  defaultOrder: [{ field: HouseholdOrderField.REF, descending: false }],
  tieBreaker: key('h.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Counties and institutions (reference data)

export enum CountyOrderField {
  CODE = 'CODE',
  NAME = 'NAME',
}

export const COUNTIES: EntityList<CountyOrderField> = {
  name: 'County',
  table: 'area a',
  columns: raw(columns.area('a')),
  scope: (principal) => referenceScope(principal),
  base: () => raw(`a.level = 'COUNTY'`),
  filters: {
    area: {
      kind: 'area',
      // Counties inside a province or prefecture, or the county itself; none inside a township.
      compile: (code: string) => (code.length > 6 ? FALSE : code.length === 6 ? sql`a.code = ${code}` : sql`a.code LIKE ${`${code}%`}`),
    },
    designation_in: designationField('a.code'),
    statisticalOnly: booleanColumn('a.statistical_only'),
    code_in: codeList('a.code', /^\d{6}$/, 'A county code has 6 digits'),
  },
  orders: { CODE: uniqueKey('a.code', 'text'), NAME: key('a.name', 'text') },
  defaultOrder: [{ field: CountyOrderField.CODE, descending: false }],
  tieBreaker: key('a.code', 'text'),
};

export enum InstitutionOrderField {
  CODE = 'CODE',
  NAME = 'NAME',
}

export const INSTITUTIONS: EntityList<InstitutionOrderField> = {
  name: 'Institution',
  table: 'institution i',
  columns: raw(columns.institution('i')),
  scope: (principal) => referenceScope(principal),
  filters: {
    area: {
      kind: 'area',
      // Institutions whose home area lies in the area (a province-level office of "52" is in "52").
      compile: (code: string) => sql`i.home_area_code LIKE ${`${code}%`}`,
    },
    kind_in: inList('i.kind'),
    code_in: codeList('i.code', /^[A-Za-z0-9_.-]{1,32}$/, 'An institution code has 1 to 32 letters, digits, "_", "." or "-"'),
    parentCode_in: institutionCodes('i.parent_id'),
  },
  orders: { CODE: uniqueKey('i.code', 'text'), NAME: key('i.name', 'text') },
  defaultOrder: [{ field: InstitutionOrderField.CODE, descending: false }],
  tieBreaker: key('i.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Enterprises

export enum EnterpriseOrderField {
  NAME = 'NAME',
  CREDIT_CODE = 'CREDIT_CODE',
}

export const ENTERPRISES: EntityList<EnterpriseOrderField> = {
  name: 'Enterprise',
  table: 'enterprise e',
  columns: raw(columns.enterprise('e')),
  scope: (principal) => enterpriseScope(principal, 'e'),
  filters: {
    area: areaField('e.county_code', 'e.village_code'),
    designation_in: designationField('e.county_code'),
    kind_in: inList('e.kind'),
    povertyDriving: booleanColumn('e.poverty_driving'),
    creditCode_in: codeList('e.credit_code', /^[0-9A-HJ-NPQRTUWXY]{18}$/, 'A unified social credit code has 18 characters'),
    creditCodePrefix: {
      kind: 'text',
      pattern: /^[0-9A-HJ-NPQRTUWXY]{2,18}$/,
      patternMessage: 'A credit code prefix has 2 to 18 characters of a unified social credit code',
      compile: (prefix: string) => sql`e.credit_code LIKE ${likePattern(prefix, false)}`,
    },
    // Enterprise names are not personal data and are stored in clear: searchable.
    name_contains: {
      kind: 'text',
      pattern: /^[^\p{Cc}]{2,50}$/u,
      patternMessage: 'A name fragment has 2 to 50 characters and no control characters',
      compile: (fragment: string) => sql`e.name LIKE ${likePattern(fragment, true)}`,
    },
  },
  orders: { NAME: key('e.name', 'text'), CREDIT_CODE: uniqueKey('e.credit_code', 'text') },
  defaultOrder: [{ field: EnterpriseOrderField.NAME, descending: false }],
  tieBreaker: key('e.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Service points, docking, disasters

export enum ServicePointOrderField {
  NAME = 'NAME',
  OPENED_ON = 'OPENED_ON',
  REF = 'REF',
}

export const SERVICE_POINTS: EntityList<ServicePointOrderField> = {
  name: 'ServicePoint',
  table: 'service_point sp',
  columns: raw(surfaceColumns.servicePoint('sp')),
  scope: (principal) => servicePointScope(principal, 'sp'),
  filters: {
    area: areaField('sp.county_code', 'sp.village_code'),
    kind_in: inList('sp.kind'),
    institutionCode_in: institutionCodes('sp.institution_id'),
    open: openOn('sp.opened_on', 'sp.closed_on'),
  },
  orders: { NAME: key('sp.name', 'text'), OPENED_ON: key('sp.opened_on', 'date'), REF: key('sp.ref', 'text') },
  defaultOrder: [{ field: ServicePointOrderField.OPENED_ON, descending: false }],
  tieBreaker: key('sp.id', 'bigint'),
};

export enum DockingEventOrderField {
  HELD_ON = 'HELD_ON',
}

export const DOCKING_EVENTS: EntityList<DockingEventOrderField> = {
  name: 'DockingEvent',
  table: 'docking_event dk',
  columns: raw(surfaceColumns.dockingEvent('dk')),
  scope: (principal) => dockingEventScope(principal, 'dk'),
  filters: { heldOn: dateRange('dk.held_on') },
  orders: { HELD_ON: key('dk.held_on', 'date') },
  defaultOrder: [{ field: DockingEventOrderField.HELD_ON, descending: false }],
  tieBreaker: key('dk.id', 'bigint'),
};

export enum DockingProjectOrderField {
  REF = 'REF',
  SIGNED = 'SIGNED',
  DISBURSED = 'DISBURSED',
}

export const DOCKING_PROJECTS: EntityList<DockingProjectOrderField> = {
  name: 'DockingProject',
  table: 'docking_project dp',
  columns: raw(surfaceColumns.dockingProject('dp')),
  scope: (principal) => dockingProjectScope(principal, 'dp'),
  filters: { bankCode_in: institutionCodes('dp.bank_id'), signed: decimalRange('dp.signed') },
  orders: { REF: key('dp.ref', 'text'), SIGNED: key('dp.signed', 'numeric'), DISBURSED: key('dp.disbursed', 'numeric') },
  defaultOrder: [{ field: DockingProjectOrderField.REF, descending: false }],
  tieBreaker: key('dp.id', 'bigint'),
};

export enum DisasterEventOrderField {
  STARTS_ON = 'STARTS_ON',
}

export const DISASTER_EVENTS: EntityList<DisasterEventOrderField> = {
  name: 'DisasterEvent',
  table: 'disaster_event de',
  columns: raw(surfaceColumns.disasterEvent('de')),
  scope: (principal) => disasterScope(principal),
  filters: { kind_in: inList('de.kind'), startsOn: dateRange('de.starts_on') },
  orders: { STARTS_ON: key('de.starts_on', 'date') },
  defaultOrder: [{ field: DisasterEventOrderField.STARTS_ON, descending: false }],
  tieBreaker: key('de.id', 'bigint'),
};

export enum DisasterAreaOrderField {
  AREA_CODE = 'AREA_CODE',
}

export const DISASTER_AREAS: EntityList<DisasterAreaOrderField> = {
  name: 'DisasterArea',
  table: 'disaster_area da',
  columns: raw(surfaceColumns.disasterArea('da')),
  scope: (principal) => disasterScope(principal),
  filters: {},
  orders: { AREA_CODE: key('da.area_code', 'text') },
  defaultOrder: [{ field: DisasterAreaOrderField.AREA_CODE, descending: false }],
  tieBreaker: key('da.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Findings and alerts (read-only over the tables the oversight services write)

export enum FindingOrderField {
  FOUND_ON = 'FOUND_ON',
  DUE_ON = 'DUE_ON',
  REF = 'REF',
}

export const FINDINGS: EntityList<FindingOrderField> = {
  name: 'Finding',
  table: 'finding f',
  columns: raw(surfaceColumns.finding('f')),
  scope: (principal) => findingScope(principal, 'f'),
  filters: {
    area: areaField('f.county_code', null),
    designation_in: designationField('f.county_code'),
    institutionCode_in: institutionCodes('f.institution_id'),
    source_in: inList('f.source'),
    status_in: inList('f.status'),
    foundOn: dateRange('f.found_on'),
    dueOn: dateRange('f.due_on'),
    ref_in: codeList('f.ref', REF, REF_MESSAGE),
    overdue: {
      kind: 'boolean',
      // Past due and not closed on the connection's date (its asOf, else today).
      compile: (flag: boolean, c: CompileContext) => {
        const on = dateOf(c);
        const overdue = sql`(f.due_on < ${on}::date AND (f.closed_on IS NULL OR f.closed_on > ${on}::date))`;
        return flag ? overdue : sql`(NOT ${overdue})`;
      },
    },
  },
  orders: { FOUND_ON: key('f.found_on', 'date'), DUE_ON: key('f.due_on', 'date'), REF: key('f.ref', 'text') },
  defaultOrder: [{ field: FindingOrderField.FOUND_ON, descending: false }],
  tieBreaker: key('f.id', 'bigint'),
};

export enum AlertOrderField {
  RAISED_AT = 'RAISED_AT',
  UPDATED_AT = 'UPDATED_AT',
  SEVERITY = 'SEVERITY',
}

export const ALERTS: EntityList<AlertOrderField> = {
  name: 'Alert',
  table: 'alert al JOIN alert_rule ar_c ON ar_c.id = al.rule_id',
  columns: raw(surfaceColumns.alert('al')),
  scope: (principal) => alertScope(principal, 'al'),
  filters: {
    area: {
      kind: 'area',
      compile: (code: string) => (code.length > 6 ? FALSE : code.length === 6 ? sql`al.county_code = ${code}` : sql`al.county_code LIKE ${`${code}%`}`),
    },
    institutionCode_in: institutionCodes('al.institution_id'),
    status_in: inList('al.status'),
    severity_in: inList('al.severity'),
    ruleKind_in: inList('ar_c.kind'),
    ruleCode_in: codeList('ar_c.code', /^[A-Z][A-Z0-9_]{0,63}$/, 'A rule code is 1 to 64 capital letters, digits or "_"'),
    subjectType_in: codeList('al.subject_type', /^[A-Z_]{1,32}$/, 'A subject type is 1 to 32 capital letters or "_"'),
    raisedOn: dateRange(raw(`(al.raised_at AT TIME ZONE 'Asia/Shanghai')::date`)),
  },
  orders: {
    RAISED_AT: key('al.raised_at', 'timestamptz'),
    UPDATED_AT: key('al.updated_at', 'timestamptz'),
    SEVERITY: {
      sql: raw(`(CASE al.severity WHEN 'LOW' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'HIGH' THEN 3 WHEN 'CRITICAL' THEN 4 END)`),
      type: 'int',
      nullable: false,
    },
  },
  defaultOrder: [{ field: AlertOrderField.RAISED_AT, descending: true }],
  tieBreaker: key('al.id', 'bigint'),
};
