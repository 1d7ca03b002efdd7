/**
 * Numbers that arrive as text (query-protocol parameters, restJson1 URI labels, query strings and
 * headers), read by one rule for every codec: integers are plain decimal digits with an optional
 * sign; other numbers are whatever JavaScript's Number reads, plus Smithy's `NaN`/`Infinity`
 * spellings, but never the empty string. Each codec words its own error for `undefined`.
 */

/** An integer (`42`, `-7`, `+3`); undefined for anything else (`1.5`, `1e3`, ``). */
export function integerFromText(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** A float or double (`1.5`, `1e3`, `NaN`, `-Infinity`); undefined when the text is no number. */
export function numberFromText(text: string): number | undefined {
  const value = Number(text);
  if (text.trim() === '' || (Number.isNaN(value) && text !== 'NaN')) return undefined;
  return value;
}
