/**
 * Terminal output for the bench: a plain aligned table and a horizontal bar (Unicode block
 * characters, eighths of a cell) drawing a ratio, with a tick where the target lies.
 */

export type Align = 'left' | 'right';

export interface Column {
  title: string;
  align: Align;
}

/** Columns padded to their widest cell, separated by two spaces, a rule under the header. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(width(column.title), ...rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => pad(cells[i] ?? '', widths[i] as number, column.align))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}

/** Display width; every character the bench prints is one column wide. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'left' ? text + fill : fill + text;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * `ratio` as a bar `cells` wide at ratio 1 (longer ratios are clipped with `▸`), with `┊` marking
 * `target` where the bar does not cover it.
 */
export function ratioBar(ratio: number, target: number, cells = 24): string {
  if (!Number.isFinite(ratio) || ratio < 0) return ' '.repeat(cells + 1);
  const eighths = Math.round(Math.min(ratio, 1) * cells * 8);
  let bar = '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] as string);
  const chars = [...bar.padEnd(cells, ' ')];
  const targetAt = Math.round(target * cells);
  if (targetAt < cells && chars[targetAt] === ' ') chars[targetAt] = '┊';
  bar = chars.join('');
  return bar + (ratio > 1 ? '▸' : ' ');
}

export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}
