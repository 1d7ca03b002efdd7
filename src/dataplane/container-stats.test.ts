import { describe, expect, it } from 'vitest';
import {
  dockerStats,
  parseProcIo,
  parseProcStat,
  parseProcStatus,
  parseSystemCpuNs,
  readProcessSample,
  readSystemCpuNs,
} from './container-stats.js';

const STAT = '4242 (node server (x)) S 1 4242 4242 0 -1 4194560 2000 0 0 0 150 25 0 0 20 0 11 0 12345 1000000 5000 0';

describe('/proc parsers', () => {
  it('reads utime, stime and threads from /proc/<pid>/stat, even with spaces in the command name', () => {
    expect(parseProcStat(STAT)).toEqual({ userNs: 1.5e9, kernelNs: 0.25e9, threads: 11 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads RSS and peak RSS from /proc/<pid>/status', () => {
    expect(parseProcStatus('Name:\tnode\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n')).toEqual({
      rssBytes: 1024 * 1024,
      peakRssBytes: 2048 * 1024,
    });
  });

  it('reads storage I/O from /proc/<pid>/io', () => {
    expect(parseProcIo('rchar: 10\nread_bytes: 4096\nwrite_bytes: 8192\n')).toEqual({
      readBytes: 4096,
      writeBytes: 8192,
    });
  });

  it("sums /proc/stat's cpu line (user … steal) as Docker's system_cpu_usage", () => {
    expect(parseSystemCpuNs('cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1 1 1 1 1 0 0\n')).toBe(36 * 1e7);
  });
});

describe('dockerStats', () => {
  it('has the Docker stats shape, with the previous read as precpu_stats', () => {
    const sample = {
      userNs: 2e9,
      kernelNs: 1e9,
      threads: 7,
      rssBytes: 5e6,
      peakRssBytes: 6e6,
      readBytes: 1,
      writeBytes: 2,
    };
    const first = dockerStats({
      id: 'abc',
      name: '/ecs-web-1-app',
      atIso: '2026-01-01T00:00:00.000Z',
      sample,
      systemCpuNs: 100e9,
      onlineCpus: 4,
      memoryLimitBytes: 8e9,
      previous: undefined,
    });
    expect(first.stats).toMatchObject({
      read: '2026-01-01T00:00:00.000Z',
      preread: '0001-01-01T00:00:00Z',
      pids_stats: { current: 7 },
      cpu_stats: { cpu_usage: { total_usage: 3e9, usage_in_kernelmode: 1e9, usage_in_usermode: 2e9 }, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      memory_stats: { usage: 5e6, max_usage: 6e6, limit: 8e9 },
      name: '/ecs-web-1-app',
      id: 'abc',
    });
    const second = dockerStats({
      id: 'abc',
      name: '/ecs-web-1-app',
      atIso: '2026-01-01T00:00:01.000Z',
      sample,
      systemCpuNs: 101e9,
      onlineCpus: 4,
      memoryLimitBytes: 8e9,
      previous: { atIso: '2026-01-01T00:00:00.000Z', cpu: first.cpu },
    });
    expect(second.stats).toMatchObject({ preread: '2026-01-01T00:00:00.000Z', precpu_stats: first.cpu });
  });

  it('reads real numbers for a live process', async () => {
    const sample = await readProcessSample(process.pid);
    if (process.platform !== 'linux') return;
    expect(sample?.rssBytes).toBeGreaterThan(1e6);
    expect(sample?.threads).toBeGreaterThan(0);
    expect(await readSystemCpuNs()).toBeGreaterThan(0);
  });
});
