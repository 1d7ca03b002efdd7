/**
 * A container's stdout/stderr as the ECS agent's awslogs/json-file driver keeps it: one entry per
 * line, stamped with drydock time, in a bounded ring (the newest 10,000 lines by default) so a
 * chatty task cannot grow drydock's memory without limit. Shown by `drydock logs <task-id>`.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ContainerLogLine } from '../services/ecs/ports.js';

export const DEFAULT_MAX_LOG_LINES = 10_000;
/** A line longer than this is cut into pieces, as Docker's log drivers cut at 16 KiB. */
export const MAX_LOG_LINE_CHARS = 16 * 1024;

type Stream = ContainerLogLine['stream'];

export class ContainerLog {
  private readonly ring: ContainerLogLine[] = [];
  /** Index of the oldest line once the ring is full. */
  private head = 0;
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly decoders: Record<Stream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  constructor(private readonly maxLines = DEFAULT_MAX_LOG_LINES) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be ≥ 1, got ${maxLines}`);
  }

  /** Appends a chunk of output; complete lines are kept, a trailing partial line waits for more. */
  append(stream: Stream, chunk: Buffer | string, atMs: number): void {
    const text = typeof chunk === 'string' ? chunk : this.decoders[stream].write(chunk);
    let pending = this.partial[stream] + text;
    for (;;) {
      const newline = pending.indexOf('\n');
      if (newline < 0) break;
      this.pushSplit(stream, stripCarriageReturn(pending.slice(0, newline)), atMs);
      pending = pending.slice(newline + 1);
    }
    while (pending.length > MAX_LOG_LINE_CHARS) {
      this.push({ atMs, stream, line: pending.slice(0, MAX_LOG_LINE_CHARS) });
      pending = pending.slice(MAX_LOG_LINE_CHARS);
    }
    this.partial[stream] = pending;
  }

  /** Keeps whatever partial lines remain (the process has exited, no newline is coming). */
  flush(atMs: number): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].end();
      this.partial[stream] = '';
      if (rest !== '') this.pushSplit(stream, stripCarriageReturn(rest), atMs);
    }
  }

  /** Oldest first. */
  lines(): ContainerLogLine[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  get size(): number {
    return this.ring.length;
  }

  private pushSplit(stream: Stream, line: string, atMs: number): void {
    if (line.length <= MAX_LOG_LINE_CHARS) {
      this.push({ atMs, stream, line });
      return;
    }
    for (let start = 0; start < line.length; start += MAX_LOG_LINE_CHARS) {
      this.push({ atMs, stream, line: line.slice(start, start + MAX_LOG_LINE_CHARS) });
    }
  }

  private push(entry: ContainerLogLine): void {
    if (this.ring.length < this.maxLines) {
      this.ring.push(entry);
      return;
    }
    this.ring[this.head] = entry;
    this.head = (this.head + 1) % this.maxLines;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
