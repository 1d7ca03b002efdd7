/**
 * ELBv2's paging: `Marker` in, `NextMarker` out, `PageSize` 1–400 (default 400, UNCONFIRMED).
 * Markers are the kernel's opaque tokens over the items' sort keys; a marker drydock did not hand
 * out is a ValidationError.
 */
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import { invalidMarker } from './errors.js';

export const DEFAULT_PAGE_SIZE = 400;

export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  pageSize: number | undefined,
  marker: string | undefined,
): { items: T[]; nextMarker?: string } {
  try {
    const page = paginate(items, keyOf, pageSize ?? DEFAULT_PAGE_SIZE, marker);
    return page.nextToken !== undefined ? { items: page.items, nextMarker: page.nextToken } : { items: page.items };
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidMarker(marker ?? '');
    throw error;
  }
}
