/**
 * Signals and exit codes as Docker reports them: a container killed by a signal exits with
 * 128 + the signal's number (SIGKILL → 137, SIGTERM → 143). Each container runs in its own
 * process group, so killing the group tears down everything it started, as stopping a
 * container's PID namespace does.
 */
import { constants } from 'node:os';

/** Docker's exit code for a process that ended with `code`, or was ended by `signal`. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) {
    const number = constants.signals[signal] as number | undefined;
    if (number !== undefined) return 128 + number;
  }
  return 128;
}

/** Sends a signal to one process; false when it is already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends a signal to the process group a detached child leads (its pgid is its pid); false when
 * the group is gone. Never falls back to the bare pid, which may belong to someone else by then.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  return signalProcess(-pid, signal);
}
