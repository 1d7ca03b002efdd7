/**
 * A function's log, as CloudWatch Logs keeps `/aws/lambda/<name>`: every line its instances
 * write to stdout or stderr, plus the platform's `START`, `END` and `REPORT` lines, stamped with
 * drydock time, in a bounded ring (the newest 10,000 lines) so a chatty function cannot grow
 * drydock's memory. Each instance splits its own output into lines, so two instances writing at
 * once never interleave within a line. `drydock logs <function>` shows it.
 */
import { StringDecoder } from 'node:string_decoder';
import type { FunctionLogLine } from '../../services/lambda/ports.js';

export const DEFAULT_MAX_LOG_LINES = 10_000;
/** Longer lines are cut into pieces (as the ECS task log does), so one line cannot hold much memory. */
export const MAX_LINE_CHARS = 16 * 1024;
/** How much of an invocation's own output is kept for `LogType: Tail`, which returns the last 4 KB. */
export const MAX_TAIL_CHARS = 64 * 1024;

export class FunctionLog {
  private readonly ring: FunctionLogLine[] = [];
  private head = 0;

  constructor(private readonly maxLines = DEFAULT_MAX_LOG_LINES) {}

  push(entry: FunctionLogLine): void {
    if (this.ring.length < this.maxLines) {
      this.ring.push(entry);
      return;
    }
    this.ring[this.head] = entry;
    this.head = (this.head + 1) % this.maxLines;
  }

  /** Oldest first. */
  lines(): FunctionLogLine[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

/** Turns one stream's chunks into complete lines (UTF-8 safe); a trailing partial line waits for more. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer | string): void {
    let pending = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      this.emit(stripCarriageReturn(pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
    }
    while (pending.length > MAX_LINE_CHARS) {
      this.onLine(pending.slice(0, MAX_LINE_CHARS));
      pending = pending.slice(MAX_LINE_CHARS);
    }
    this.partial = pending;
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(stripCarriageReturn(rest));
  }

  private emit(line: string): void {
    for (let start = 0; start < line.length || start === 0; start += MAX_LINE_CHARS) {
      this.onLine(line.slice(start, start + MAX_LINE_CHARS));
    }
  }
}

/** The end of one invocation's output, bounded: older lines are dropped once it passes MAX_TAIL_CHARS. */
export class TailBuffer {
  private readonly lines: string[] = [];
  private chars = 0;

  push(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
    while (this.chars > MAX_TAIL_CHARS && this.lines.length > 1) this.chars -= this.lines.shift()!.length + 1;
  }

  text(): string {
    return this.lines.map((line) => `${line}\n`).join('');
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 52 MB`, as Lambda reports a run. */
export function reportLine(report: {
  requestId: string;
  durationMs: number;
  memoryMiB: number;
  maxMemoryUsedMiB?: number;
  initDurationMs?: number;
}): string {
  const parts = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs))} ms`,
    `Memory Size: ${report.memoryMiB} MB`,
    ...(report.maxMemoryUsedMiB !== undefined ? [`Max Memory Used: ${report.maxMemoryUsedMiB} MB`] : []),
    ...(report.initDurationMs !== undefined ? [`Init Duration: ${report.initDurationMs.toFixed(2)} ms`] : []),
  ];
  return parts.join('\t');
}
