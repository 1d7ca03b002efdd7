/**
 * EventBridge's paging: `Limit` 1–100 and `NextToken` (opaque) over items in key order; without a
 * Limit everything is returned (UNCONFIRMED: AWS pages at its own size). A token drydock did not
 * hand out is a ValidationException.
 */
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import { invalidNextToken } from './errors.js';

export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  try {
    return paginate(items, keyOf, limit ?? Number.MAX_SAFE_INTEGER, nextToken);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidNextToken();
    throw error;
  }
}
