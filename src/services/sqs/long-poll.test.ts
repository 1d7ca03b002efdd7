/** Long-poll waiters on the virtual clock: woken by a notify, by their deadline, or by close. */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { ArrivalWaiters } from './long-poll.js';

describe('ArrivalWaiters', () => {
  it('wakes a wait when its queue is notified, and cancels its deadline timer', async () => {
    const clock = new VirtualClock();
    const waiters = new ArrivalWaiters(clock);
    let woken = false;
    const waiting = waiters.wait('q', clock.now() + 20_000).then(() => (woken = true));
    waiters.notify('other');
    await Promise.resolve();
    expect(woken).toBe(false);
    waiters.notify('q');
    await waiting;
    expect(clock.pendingTimerCount()).toBe(0);
    expect(waiters.waitingCount('q')).toBe(0);
  });

  it('ends a wait at its deadline on the clock', async () => {
    const clock = new VirtualClock();
    const waiters = new ArrivalWaiters(clock);
    let woken = false;
    void waiters.wait('q', clock.now() + 20_000).then(() => (woken = true));
    await clock.advanceBy(19_999);
    expect(woken).toBe(false);
    await clock.advanceBy(1);
    expect(woken).toBe(true);
  });

  it('ends every wait at close, and waits no more after it', async () => {
    const clock = new VirtualClock();
    const waiters = new ArrivalWaiters(clock);
    const waiting = [waiters.wait('a', clock.now() + 20_000), waiters.wait('b', clock.now() + 20_000)];
    waiters.close();
    await Promise.all(waiting);
    expect(waiters.closed).toBe(true);
    await waiters.wait('a', clock.now() + 20_000);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
