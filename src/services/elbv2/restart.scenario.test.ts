/**
 * A restart on the same store directory: ELBv2's resources are all there, listeners bind again
 * (sockets did not survive), a drain recorded before the restart still ends at its deadline, and
 * a new load balancer does not reuse an address handed out before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { elbv2Scenario, forwardTo, SECOND, type Elbv2Scenario } from '../../../test/support/elbv2-scenario.js';

const directories: string[] = [];
let t: Elbv2Scenario | undefined;
afterEach(async () => {
  await t?.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

it('resources, listener sockets, drain deadlines and the address allocator survive a restart', async () => {
  const storeLocation = mkdtempSync(path.join(tmpdir(), 'drydock-elbv2-'));
  directories.push(storeLocation);
  const before = elbv2Scenario({ storeLocation });
  const web = before.createTargetGroup('web');
  const listener = before.createListener(before.createLoadBalancer('front'), forwardTo(web));
  before.register(web, { Id: '127.0.0.10' }, { Id: '127.0.0.11' });
  await before.advanceBy(30 * SECOND);
  before.dataplane.openConnection(listener);
  before.deregister(web, { Id: '127.0.0.10' });
  await before.advanceBy(100 * SECOND);
  await before.close();

  t = elbv2Scenario({ storeLocation });
  // The new virtual clock starts where the old one did: the drain still has 300 s - 100 s to run
  // from the old clock's point of view, i.e. it ends 300 s after the new clock's start + 30 s.
  await t.settle();
  expect(t.dataplane.bindings().map((binding) => binding.listenerArn)).toEqual([listener]);
  expect(t.service.listeners()[0]).toMatchObject({ state: 'bound', address: '127.2.0.1', port: 80 });
  expect(t.states(web)).toEqual({ '127.0.0.10:8080': 'draining', '127.0.0.11:8080': 'healthy' });
  await t.advanceBy(330 * SECOND - 1);
  expect(t.states(web)).toHaveProperty(['127.0.0.10:8080'], 'draining');
  await t.advanceBy(1);
  expect(t.states(web)).toEqual({ '127.0.0.11:8080': 'healthy' });
  const again = t.createLoadBalancer('again');
  t.createListener(again, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }]);
  await t.settle();
  expect(
    t.service
      .listeners()
      .map((status) => status.address)
      .sort(),
  ).toEqual(['127.2.0.1', '127.2.0.2']);
});
