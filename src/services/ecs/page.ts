/**
 * ECS's List* paging: `maxResults` 1–100 (default 100), opaque `nextToken`s from the kernel's
 * paginator, and ECS's own error for a token it did not hand out (InvalidParameterException).
 */
import { InvalidPageToken, paginate, type Page } from '../../kernel/pagination.js';
import { invalidNextToken, invalidParameter } from './errors.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;

/** items must be sorted by keyOf (ascending). */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Page<T> {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE_SIZE)) {
    throw invalidParameter(`maxResults must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  try {
    return paginate(items, keyOf, maxResults ?? DEFAULT_PAGE_SIZE, nextToken);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidNextToken();
    throw error;
  }
}

/** Pages a list in the order given (e.g. descending): the key is the item's position. */
export function pageInOrder<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): Page<T> {
  const indexed = items.map((item, index) => ({ item, key: String(index).padStart(10, '0') }));
  const page = pageOf(indexed, (entry) => entry.key, maxResults, nextToken);
  return { items: page.items.map((entry) => entry.item), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
