/**
 * Lambda's paging: `Marker` in, `NextMarker` out, `MaxItems` 1–10000 (50 when absent, as
 * ListFunctions pages). Markers are the kernel's opaque tokens over the items' sort keys; one
 * drydock did not hand out is InvalidParameterValueException.
 */
import { InvalidPageToken, paginate, type Page } from '../../kernel/pagination.js';
import { invalidParameter } from './errors.js';

const DEFAULT_MAX_ITEMS = 50;

/** Items in key order, `MaxItems` at a time (50 by default); an unknown marker is InvalidParameterValueException. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  maxItems: number | undefined,
  marker?: string,
): Page<T> {
  try {
    const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    return paginate(sorted, keyOf, maxItems ?? DEFAULT_MAX_ITEMS, marker);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidParameter(`Invalid marker: ${marker ?? ''}`);
    throw error;
  }
}
