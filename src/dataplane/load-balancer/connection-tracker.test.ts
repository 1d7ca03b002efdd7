import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import type { LoadBalancerObserver, TargetEndpoint } from '../../services/elbv2/ports.js';
import { ConnectionTracker } from './connection-tracker.js';

const A: TargetEndpoint = { targetGroupArn: 'tg-1', id: 'i-a', address: '127.1.0.1', port: 80 };
const B: TargetEndpoint = { targetGroupArn: 'tg-1', id: 'i-b', address: '127.1.0.2', port: 80 };

function tracker() {
  const reports: Array<[string, string, number, number]> = [];
  const observer: LoadBalancerObserver = {
    probeCompleted: () => {},
    listenerBound: () => {},
    listenerBindFailed: () => {},
    activityChanged: (tg, id, port, count) => reports.push([tg, id, port, count]),
  };
  return { tracker: new ConnectionTracker(() => observer, silentLogger), reports };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ConnectionTracker', () => {
  it('counts flows per target and reports each changed count once per event-loop turn', async () => {
    const { tracker: t, reports } = tracker();
    const first = t.open(A, () => {});
    t.open(A, () => {});
    t.open(B, () => {});
    expect(t.activeCount(A)).toBe(2);
    expect(t.activeCount({ ...A })).toBe(2);
    expect(reports).toEqual([]);
    await nextTurn();
    expect(reports).toEqual([
      ['tg-1', 'i-a', 80, 2],
      ['tg-1', 'i-b', 80, 1],
    ]);
    t.release(first);
    t.release(first);
    await nextTurn();
    expect(reports.at(-1)).toEqual(['tg-1', 'i-a', 80, 1]);
    expect(t.activeCount(A)).toBe(1);
  });

  it('says nothing when a flow opens and closes within one turn', async () => {
    const { tracker: t, reports } = tracker();
    t.release(t.open(A, () => {}));
    await nextTurn();
    expect(reports).toEqual([]);
  });

  it('closeTarget aborts the flows of that target only', async () => {
    const { tracker: t, reports } = tracker();
    const aborted: string[] = [];
    const flows = [
      t.open(A, () => aborted.push('a1')),
      t.open(A, () => aborted.push('a2')),
      t.open(B, () => aborted.push('b')),
    ];
    expect(t.closeTarget('tg-1', 'i-a', 80)).toBe(2);
    expect(aborted).toEqual(['a1', 'a2']);
    // The owners release their flows when their sockets close.
    t.release(flows[0]!);
    t.release(flows[1]!);
    t.flush();
    expect(reports).toEqual([['tg-1', 'i-b', 80, 1]]);
    expect(t.closeTarget('tg-1', 'i-zzz', 80)).toBe(0);
    expect(t.addressOf('tg-1', 'i-a', 80)).toBe('127.1.0.1');
  });

  it('reports nothing once closed', async () => {
    const { tracker: t, reports } = tracker();
    t.open(A, () => {});
    t.close();
    t.open(B, () => {});
    await nextTurn();
    expect(reports).toEqual([]);
  });

  it('closeEverything aborts every flow, and an abort that throws does not stop the others', () => {
    const { tracker: t } = tracker();
    const aborted: string[] = [];
    t.open(A, () => {
      throw new Error('boom');
    });
    t.open(B, () => aborted.push('b'));
    t.closeEverything();
    expect(aborted).toEqual(['b']);
  });
});
