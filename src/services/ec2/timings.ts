/**
 * How long EC2's transitional states last. Defaults follow what AWS documents and what is
 * commonly measured on current-generation (Nitro) Linux instances:
 * - pending → running: ~15 s. The EC2 User Guide only says an instance is `running` once it is
 *   "ready for you"; published launch measurements for Amazon Linux on Nitro put the API-visible
 *   transition at 10–20 s.
 * - shutting-down → terminated: ~35 s. The guide notes terminated instances stay visible about an
 *   hour; the shutdown itself is commonly observed at 30–45 s (OS shutdown plus volume cleanup).
 * - stopping → stopped: ~30 s (the OS gets a clean shutdown before EC2 forces a stop).
 * - stopped → pending → running: ~15 s, a boot again.
 */

export interface Ec2Timings {
  bootMs: number;
  shutdownMs: number;
  stopMs: number;
  startMs: number;
}

export const DEFAULT_TIMINGS: Ec2Timings = {
  bootMs: 15_000,
  shutdownMs: 35_000,
  stopMs: 30_000,
  startMs: 15_000,
};

/** Terminated instances stay describable for about an hour (EC2 User Guide, "Terminate instances"). */
export const TERMINATED_RETENTION_MS = 3_600_000;

/** The Spot two-minute warning: the interruption notice comes this long before termination begins. */
export const SPOT_WARNING_MS = 120_000;
