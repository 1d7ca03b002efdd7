/**
 * Opaque next-tokens for List/Describe calls. AWS tokens are opaque strings a client passes back
 * unchanged; ours encode the key of the last item returned, so a page is stable while items are
 * added or removed around it. A token that does not decode is the caller's error, which each
 * service names its own way (ECS `InvalidParameterException`, Auto Scaling `InvalidNextToken`).
 */

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export class InvalidPageToken extends Error {}

/** `items` must be sorted by `keyOf`; returns up to `limit` items after the token's key. */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  nextToken: string | undefined,
): Page<T> {
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const after = decodeToken(nextToken);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start === -1) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < items.length;
  return more && last !== undefined ? { items: page, nextToken: encodeToken(keyOf(last)) } : { items: page };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // fall through to the error below
  }
  throw new InvalidPageToken(`Invalid next token: ${token}`);
}
