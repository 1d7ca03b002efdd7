/**
 * MaxResults / NextToken for EC2's Describe calls: a MaxResults outside the call's range is
 * refused, a token that does not decode is `Unable to parse pagination token`, and without
 * MaxResults EC2 returns everything in one page (DescribeInstances and friends).
 */
import { InvalidPageToken, paginate, type Page } from '../../kernel/pagination.js';
import { invalidPageToken, invalidParameterValue } from './errors.js';

export interface PageBounds {
  min: number;
  max: number;
  /** Page size when MaxResults is absent; all items when undefined. */
  defaultSize?: number;
}

/** `items` must be sorted by `keyOf`. */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
  bounds: PageBounds,
): Page<T> {
  if (maxResults !== undefined && (maxResults < bounds.min || maxResults > bounds.max)) {
    throw invalidParameterValue(
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
    );
  }
  try {
    return paginate(items, keyOf, maxResults ?? bounds.defaultSize ?? Number.POSITIVE_INFINITY, nextToken);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidPageToken();
    throw error;
  }
}

export function sortedBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const left = keyOf(a);
    const right = keyOf(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
