/**
 * The change feed's cursor as clients hold it: opaque (base64url of `feed:<event id>`),
 * so that the event id behind it can change representation without breaking clients,
 * and validated on the way in, so that a mangled cursor is BAD_USER_INPUT rather than a
 * silent replay from the wrong place.
 */
import { badInput } from '../common';

const PREFIX = 'feed:';
const EVENT_ID = /^(0|[1-9]\d{0,18})$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_EVENT_ID = 9223372036854775807n;

/** The cursor of the event with id `eventId` ('0': before the first event). */
export function encodeFeedCursor(eventId: string): string {
  return Buffer.from(`${PREFIX}${eventId}`, 'utf8').toString('base64url');
}

/**
 * The event id a cursor names.
 *
 * @throws RefusalError BAD_USER_INPUT (field `field`) for anything this hub did not issue.
 */
export function decodeFeedCursor(cursor: string, field = 'after'): string {
  const malformed = () => badInput('Malformed change feed cursor', field, 'MALFORMED_CURSOR');
  if (!BASE64URL.test(cursor)) throw malformed();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round trip: rejects non-canonical encodings and bytes that are not UTF-8.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor || !text.startsWith(PREFIX)) throw malformed();
  const id = text.slice(PREFIX.length);
  if (!EVENT_ID.test(id) || BigInt(id) > MAX_EVENT_ID) throw malformed();
  return id;
}
