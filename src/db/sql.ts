/**
 * A small, composable SQL fragment with positional `?` bindings, as MikroORM's
 * `Connection.execute` (knex) takes them. Fragments are built from trusted text and
 * bound values only: nothing a caller supplies is ever spliced into the text.
 */

export interface Sql {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** Tagged template: `sql\`a = ${value}\`` → `{ text: 'a = ?', params: [value] }`; nested fragments are inlined. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return { text, params };
}

/** Trusted SQL text with no bindings (column lists, aliases chosen by the code). */
export function raw(text: string): Sql {
  return { text, params: [] };
}

export const TRUE: Sql = raw('true');
export const FALSE: Sql = raw('false');

/** `(a AND b AND …)`; an empty list is `true`. */
export function and(...parts: Sql[]): Sql {
  const kept = parts.filter((part) => part !== TRUE);
  if (kept.some((part) => part === FALSE)) return FALSE;
  if (kept.length === 0) return TRUE;
  if (kept.length === 1) return kept[0];
  return join(kept, ' AND ', '(', ')');
}

/** `(a OR b OR …)`; an empty list is `false`. */
export function or(...parts: Sql[]): Sql {
  const kept = parts.filter((part) => part !== FALSE);
  if (kept.some((part) => part === TRUE)) return TRUE;
  if (kept.length === 0) return FALSE;
  if (kept.length === 1) return kept[0];
  return join(kept, ' OR ', '(', ')');
}

function join(parts: Sql[], separator: string, open: string, close: string): Sql {
  return {
    text: open + parts.map((part) => part.text).join(separator) + close,
    params: parts.flatMap((part) => part.params),
  };
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'params' in value && Array.isArray((value as Sql).params);
}

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) for one bound parameter, cast in the
 * text (`?::bigint[]`). knex expands a JavaScript array binding into a list, so arrays
 * travel as one literal instead; every element is quoted and escaped.
 */
export function pgArray(values: ReadonlyArray<string | number | null>): string {
  const items = values.map((value) => {
    if (value === null) return 'NULL';
    return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
