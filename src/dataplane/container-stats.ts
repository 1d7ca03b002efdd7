/**
 * Container stats for the task metadata endpoint v4 (`${ECS_CONTAINER_METADATA_URI_V4}/stats`):
 * a realistic subset of Docker's stats JSON (cpu_stats/precpu_stats, memory_stats, pids_stats,
 * blkio_stats), filled with real numbers read from /proc for the container's process. CPU times
 * are in nanoseconds as Docker gives them, so `(Δtotal_usage / Δsystem_cpu_usage) × online_cpus`
 * is the CPU share exactly as dashboards compute it. Where /proc is absent the numbers are 0.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SECOND;
/** Docker's zero time, shown as `preread` on a first read. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ProcessSample {
  /** CPU time in user and kernel mode, nanoseconds. */
  userNs: number;
  kernelNs: number;
  threads: number;
  rssBytes: number;
  peakRssBytes: number;
  readBytes: number;
  writeBytes: number;
}

export interface CpuStats {
  cpu_usage: { total_usage: number; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage: number;
  online_cpus: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface StatsSample {
  atIso: string;
  cpu: CpuStats;
}

/** `/proc/<pid>/stat`: utime, stime (ticks) and num_threads, counted after the `(comm)` field, which may hold spaces. */
export function parseProcStat(text: string): Pick<ProcessSample, 'userNs' | 'kernelNs' | 'threads'> | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ')': state is field 3, so field N sits at index N - 3.
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  const threads = Number(fields[20 - 3]);
  if (![utime, stime, threads].every(Number.isFinite)) return undefined;
  return { userNs: utime * NS_PER_TICK, kernelNs: stime * NS_PER_TICK, threads };
}

/** `/proc/<pid>/status`: VmRSS and VmHWM (peak RSS), in kB. */
export function parseProcStatus(text: string): Pick<ProcessSample, 'rssBytes' | 'peakRssBytes'> {
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** `/proc/<pid>/io`: read_bytes and write_bytes (storage I/O). */
export function parseProcIo(text: string): Pick<ProcessSample, 'readBytes' | 'writeBytes'> {
  const value = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { readBytes: value('read_bytes'), writeBytes: value('write_bytes') };
}

/** `/proc/stat`'s aggregate `cpu` line summed as Docker's system_cpu_usage (user … steal), nanoseconds. */
export function parseSystemCpuNs(text: string): number {
  const line = /^cpu\s+(.*)$/m.exec(text)?.[1];
  if (!line) return 0;
  const ticks = line
    .trim()
    .split(/\s+/)
    .slice(0, 8)
    .reduce((sum, field) => sum + (Number(field) || 0), 0);
  return ticks * NS_PER_TICK;
}

export async function readProcessSample(pid: number): Promise<ProcessSample | undefined> {
  const [stat, status, io] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/io`, 'utf8').catch(() => ''),
  ]);
  const cpu = stat === undefined ? undefined : parseProcStat(stat);
  if (!cpu) return undefined;
  return { ...cpu, ...parseProcStatus(status), ...parseProcIo(io) };
}

export async function readSystemCpuNs(): Promise<number> {
  return parseSystemCpuNs(await readFile('/proc/stat', 'utf8').catch(() => ''));
}

export function emptyCpuStats(): CpuStats {
  return {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: 0,
    online_cpus: 0,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** The Docker stats document for one sample, with the previous sample as `precpu_stats`. */
export function dockerStats(options: {
  id: string;
  name: string;
  atIso: string;
  sample: ProcessSample | undefined;
  systemCpuNs: number;
  onlineCpus: number;
  memoryLimitBytes: number;
  previous: StatsSample | undefined;
}): { stats: Record<string, unknown>; cpu: CpuStats } {
  const sample = options.sample;
  const cpu: CpuStats = sample
    ? {
        cpu_usage: {
          total_usage: sample.userNs + sample.kernelNs,
          usage_in_kernelmode: sample.kernelNs,
          usage_in_usermode: sample.userNs,
        },
        system_cpu_usage: options.systemCpuNs,
        online_cpus: options.onlineCpus,
        throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
      }
    : emptyCpuStats();
  const stats = {
    read: options.atIso,
    preread: options.previous?.atIso ?? ZERO_TIME,
    pids_stats: { current: sample?.threads ?? 0 },
    blkio_stats: {
      io_service_bytes_recursive: sample
        ? [
            { major: 0, minor: 0, op: 'Read', value: sample.readBytes },
            { major: 0, minor: 0, op: 'Write', value: sample.writeBytes },
          ]
        : [],
    },
    num_procs: 0,
    cpu_stats: cpu,
    precpu_stats: options.previous?.cpu ?? emptyCpuStats(),
    memory_stats: {
      usage: sample?.rssBytes ?? 0,
      max_usage: sample?.peakRssBytes ?? 0,
      stats: { rss: sample?.rssBytes ?? 0 },
      limit: options.memoryLimitBytes,
    },
    name: options.name,
    id: options.id,
  };
  return { stats, cpu };
}

export const hostCpuCount = (): number => os.availableParallelism?.() ?? os.cpus().length;
export const hostMemoryBytes = (): number => os.totalmem();
