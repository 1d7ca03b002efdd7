/**
 * How the demo shows itself. On a terminal: timeline lines scroll above one status line that is
 * redrawn in place (the refresh's PercentageComplete as a bar, requests ok/failed, the rate, wall
 * and drydock time). Elsewhere (CI logs, pipes): plain lines only, with a progress line whenever
 * the refresh's percentage moves and every 10 s.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  refreshStatus: string;
  percentComplete: number;
  ok: number;
  failed: number;
  requestsPerSecond: number;
  wallMs: number;
  simulatedMs: number;
}

const BAR_WIDTH = 24;
const PLAIN_PROGRESS_EVERY_MS = 10_000;

export class ProgressDisplay {
  private last: Progress | undefined;
  private statusShown = false;
  private lastPlainAtMs = 0;
  private lastPlainPercent = -1;

  constructor(
    private readonly out: Writable & { isTTY?: boolean; columns?: number },
    readonly live: boolean,
  ) {}

  /** A line of the timeline (or any message). */
  line(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
    if (this.live && this.last) this.drawStatus(this.last);
  }

  update(progress: Progress): void {
    this.last = progress;
    if (this.live) {
      this.clearStatus();
      this.drawStatus(progress);
      return;
    }
    const due = progress.wallMs - this.lastPlainAtMs >= PLAIN_PROGRESS_EVERY_MS;
    if (progress.percentComplete !== this.lastPlainPercent || due) {
      this.lastPlainAtMs = progress.wallMs;
      this.lastPlainPercent = progress.percentComplete;
      this.out.write(`${timePrefix(progress.wallMs, progress.simulatedMs)}  progress: ${statusText(progress)}\n`);
    }
  }

  /** Removes the status line for good (before the summary). */
  close(): void {
    this.clearStatus();
    this.last = undefined;
  }

  private drawStatus(progress: Progress): void {
    const filled = Math.round((progress.percentComplete / 100) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    let text = `refresh ${bar} ${String(progress.percentComplete).padStart(3)}%  ${statusText(progress)}`;
    const columns = this.out.columns ?? 120;
    if (text.length > columns - 1) text = text.slice(0, columns - 1);
    this.out.write(`\x1b[7m${text}\x1b[0m`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (this.live && this.statusShown) this.out.write('\r\x1b[2K');
    this.statusShown = false;
  }
}

function statusText(progress: Progress): string {
  return (
    `${progress.refreshStatus} · ${progress.ok.toLocaleString('en-US')} ok · ${progress.failed} failed · ` +
    `${progress.requestsPerSecond.toFixed(1)} req/s · drydock ${clockText(progress.simulatedMs)} · wall ${(progress.wallMs / 1000).toFixed(0)} s`
  );
}

/** `  12.3s  0:14:05`: wall seconds since the demo began, and drydock time since then. */
export function timePrefix(wallMs: number, simulatedMs: number): string {
  return `${(wallMs / 1000).toFixed(1).padStart(6)}s  ${clockText(simulatedMs).padStart(8)}`;
}

/** `0:14:05` (h:mm:ss). */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
