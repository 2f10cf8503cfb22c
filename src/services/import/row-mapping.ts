/**
 * How a flat file row becomes the item a mutation takes, driven by a kind's column list
 * (`kinds.ts`):
 *
 * - a column is named by the item path it fills: `ref`, `borrower.household.villageCode`;
 * - a list of objects is either numbered columns (`loans[0].bankCode`, `loans[1].bankCode`
 *   …, declared once as `loans[].bankCode`) or one column holding the list as JSON
 *   (`loans`, declared with type `json`) — not both in one file;
 * - an empty cell is null; an object whose every member is null is null itself (so the
 *   unused borrower columns of a household row do not name an empty enterprise), and a
 *   list drops its null entries;
 * - cells are text; integer and boolean columns are converted, money, rates and dates
 *   stay the decimal and date strings the services check.
 *
 * NDJSON rows already have the item's shape; only their member names are checked
 * against the same column list. Value checks are the services' business: the import
 * applies exactly the rules the mutations apply.
 *
 * Errors name the column, never the cell's value (a cell may hold a national ID number).
 */

/** How a cell is converted. */
export type ColumnType = 'string' | 'integer' | 'boolean' | 'json';

/** One column a kind accepts. */
export interface ColumnSpec {
  /** Item path; `[]` marks a list of objects (`loans[].bankCode`). */
  path: string;
  type?: ColumnType;
  /** The column must be in the file's header (a required field of the mutation's input). */
  required?: boolean;
}

/** A column list with its header rules; built once per kind. */
export interface ColumnModel {
  columns: readonly ColumnSpec[];
  /** Most entries of a numbered list (`loans[0]` …). */
  maxListEntries: number;
}

/** A header refused before anything is read or written. */
export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderError';
  }
}

/** A row that cannot become an item: reported with its column, the rest of the file goes on. */
export class RowError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

type Segment = { key: string; index?: number };

interface BoundColumn {
  header: string;
  type: ColumnType;
  segments: Segment[];
}

/** A file's header checked against a kind's columns: how each cell lands in the item. */
export interface BoundHeader {
  columns: BoundColumn[];
}

const NUMBERED = /^([A-Za-z][A-Za-z0-9]*)\[(\d{1,3})\]\.(.+)$/;

/**
 * Checks a CSV header: every column known, none twice, every required one present, a list
 * given as numbered columns or as JSON but not both.
 *
 * @throws HeaderError listing every problem at once.
 */
export function bindHeader(model: ColumnModel, header: readonly string[]): BoundHeader {
  const byPath = new Map(model.columns.map((c) => [c.path, c]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns: BoundColumn[] = [];
  const listsNumbered = new Set<string>();
  const listsAsJson = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    if (seen.has(name)) {
      problems.push(`column ${quoteName(name)} appears twice`);
      continue;
    }
    seen.add(name);
    const exact = byPath.get(name);
    if (exact !== undefined && !name.includes('[]')) {
      columns.push({ header: name, type: exact.type ?? 'string', segments: name.split('.').map((key) => ({ key })) });
      if (exact.type === 'json') listsAsJson.add(name);
      continue;
    }
    const numbered = NUMBERED.exec(name);
    const spec = numbered === null ? undefined : byPath.get(`${numbered[1]}[].${numbered[3]}`);
    if (numbered !== null && spec !== undefined) {
      const index = Number(numbered[2]);
      if (index >= model.maxListEntries) {
        problems.push(`column ${quoteName(name)}: ${numbered[1]} holds at most ${model.maxListEntries} entries (numbered from 0)`);
        continue;
      }
      listsNumbered.add(numbered[1]);
      columns.push({
        header: name,
        type: spec.type ?? 'string',
        segments: [{ key: numbered[1], index }, ...numbered[3].split('.').map((key) => ({ key }))],
      });
      continue;
    }
    problems.push(`unknown column ${quoteName(name)}`);
  }
  for (const list of listsNumbered) {
    if (listsAsJson.has(list)) problems.push(`${list} is given both as numbered columns and as a JSON column; use one`);
  }
  for (const column of model.columns) {
    // A required list is given by its JSON column or by numbered columns.
    const listGiven = column.type === 'json' && listsNumbered.has(column.path);
    if (column.required && !seen.has(column.path) && !listGiven) problems.push(`missing required column ${quoteName(column.path)}`);
  }
  if (problems.length > 0) {
    throw new HeaderError(`${problems.join('; ')}. Known columns: ${describeColumns(model)}`);
  }
  return { columns };
}

/** The columns of a kind as one line, lists shown numbered. */
export function describeColumns(model: ColumnModel): string {
  return model.columns.map((c) => c.path.replace('[]', '[0]') + (c.required ? '*' : '')).join(', ');
}

/**
 * One CSV record → an item.
 *
 * @throws RowError for a wrong field count or a cell its column cannot take.
 */
export function itemFromCells(bound: BoundHeader, cells: readonly string[]): Record<string, unknown> {
  if (cells.length !== bound.columns.length) {
    throw new RowError('FIELD_COUNT', null, `The row has ${cells.length} fields; the header has ${bound.columns.length}`);
  }
  const item: Record<string, unknown> = {};
  bound.columns.forEach((column, i) => {
    setPath(item, column.segments, convert(cells[i], column));
  });
  return (compact(item) as Record<string, unknown> | null) ?? {};
}

function convert(cell: string, column: BoundColumn): unknown {
  if (cell === '') return null;
  switch (column.type) {
    case 'string':
      return cell;
    case 'integer': {
      const text = cell.trim();
      if (!/^-?\d{1,15}$/.test(text)) throw new RowError('NOT_AN_INTEGER', column.header, `${column.header} must be a whole number`);
      return Number(text);
    }
    case 'boolean': {
      const text = cell.trim().toLowerCase();
      if (['true', '1', 'yes', 'y'].includes(text)) return true;
      if (['false', '0', 'no', 'n'].includes(text)) return false;
      throw new RowError('NOT_A_BOOLEAN', column.header, `${column.header} must be true or false`);
    }
    case 'json':
      try {
        return JSON.parse(cell);
      } catch {
        throw new RowError('INVALID_JSON', column.header, `${column.header} must hold JSON, e.g. [{"bankCode":"…","loanRef":"…"}]`);
      }
  }
}

function setPath(target: Record<string, unknown>, segments: readonly Segment[], value: unknown): void {
  let node: Record<string, unknown> = target;
  segments.forEach((segment, depth) => {
    const last = depth === segments.length - 1;
    if (segment.index !== undefined) {
      const list = (node[segment.key] ??= []) as Array<Record<string, unknown>>;
      node = list[segment.index] ??= {};
      return;
    }
    if (last) {
      node[segment.key] = value;
    } else {
      node = (node[segment.key] ??= {}) as Record<string, unknown>;
    }
  });
}

/** Null for an object with only null members or a list with only null entries; lists lose their null entries. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept = value.map(compact).filter((entry) => entry !== null && entry !== undefined);
    return kept.length === 0 ? null : kept;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [key, member] of Object.entries(value)) {
      const compacted = compact(member);
      out[key] = compacted ?? null;
      if (compacted !== null && compacted !== undefined) any = true;
    }
    return any ? out : null;
  }
  return value;
}

interface ShapeNode {
  /** Members of an object; absent for a leaf. */
  members?: Map<string, ShapeNode>;
  /** A JSON column: anything goes (the service checks it). */
  open?: boolean;
}

/** The object shape the columns describe, for NDJSON rows. */
function shapeOf(model: ColumnModel): ShapeNode {
  const root: ShapeNode = { members: new Map() };
  for (const column of model.columns) {
    let node = root;
    const keys = column.path.split('.');
    keys.forEach((rawKey, depth) => {
      const key = rawKey.replace('[]', '');
      const members = (node.members ??= new Map());
      let child = members.get(key);
      if (child === undefined) {
        child = {};
        members.set(key, child);
      }
      if (depth === keys.length - 1 && column.type === 'json') child.open = true;
      node = child;
    });
  }
  return root;
}

const shapes = new WeakMap<ColumnModel, ShapeNode>();

/**
 * One NDJSON value → an item: it must be an object whose members (at every depth) are
 * columns of the kind.
 *
 * @throws RowError naming the first unknown member.
 */
export function itemFromJson(model: ColumnModel, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RowError('NOT_AN_OBJECT', null, 'Each line must be one JSON object');
  }
  let shape = shapes.get(model);
  if (shape === undefined) {
    shape = shapeOf(model);
    shapes.set(model, shape);
  }
  checkShape(value, shape, '');
  return value as Record<string, unknown>;
}

function checkShape(value: unknown, shape: ShapeNode, path: string): void {
  if (shape.open || shape.members === undefined || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((entry, i) => checkShape(entry, shape, `${path}[${i}]`));
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    const child = shape.members.get(key);
    const childPath = path === '' ? key : `${path}.${key}`;
    if (child === undefined) throw new RowError('UNKNOWN_FIELD', childPath, `Unknown field ${quoteName(childPath)}`);
    checkShape(member, child, childPath);
  }
}

/** A column name as shown in messages: cut, and never a national-ID-shaped run of digits. */
function quoteName(name: string): string {
  const cut = Array.from(name).slice(0, 60).join('');
  return JSON.stringify(/[0-9]{15,}/.test(cut) ? cut.replace(/[0-9]{15,}/g, '…') : cut);
}
