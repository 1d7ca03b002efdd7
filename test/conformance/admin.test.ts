/**
 * The admin API under /_drydock/: health, status, reset, and the clock (read; advance when virtual).
 */
import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDrydock, type TestDrydock } from '../support/drydock.js';

let virtual: TestDrydock;
let real: TestDrydock;

beforeAll(async () => {
  virtual = await startTestDrydock({ clock: 'virtual' });
  real = await startTestDrydock({ clock: 'real', timeScale: 60 });
});
afterAll(async () => {
  await virtual.close();
  await real.close();
});

async function admin(drydock: TestDrydock, method: string, path: string, body?: unknown) {
  const response = await fetch(`${drydock.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin API', () => {
  it('reports health', async () => {
    const { status, body } = await admin(virtual, 'GET', '/_drydock/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok' });
  });

  it('reports status with resource counts per service', async () => {
    await virtual.clients().ecs.send(new CreateClusterCommand({ clusterName: 'counted' }));
    const { body } = await admin(virtual, 'GET', '/_drydock/status');
    expect(body).toMatchObject({ endpoint: virtual.url, seed: 1, state: ':memory:' });
    expect((body.resources as Record<string, Record<string, number>>).ecs?.clusters).toBe(1);
  });

  it('reset forgets every resource', async () => {
    const aws = virtual.clients();
    await aws.ecs.send(new CreateClusterCommand({ clusterName: 'doomed' }));
    expect((await admin(virtual, 'POST', '/_drydock/reset')).status).toBe(200);
    expect((await aws.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it('advances a virtual clock exactly', async () => {
    const before = (await admin(virtual, 'GET', '/_drydock/clock')).body;
    expect(before.mode).toBe('virtual');
    const after = (await admin(virtual, 'POST', '/_drydock/clock/advance', { ms: 90_000 })).body;
    expect(after.nowMs).toBe((before.nowMs as number) + 90_000);
    expect(after.advancedMs).toBe(90_000);
  });

  it('refuses to advance a real clock, and rejects bad input', async () => {
    const refused = await admin(real, 'POST', '/_drydock/clock/advance', { ms: 1000 });
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe('ValidationException');
    const bad = await admin(virtual, 'POST', '/_drydock/clock/advance', { ms: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('ms');
    expect((await admin(real, 'GET', '/_drydock/clock')).body).toMatchObject({ mode: 'real', timeScale: 60 });
  });

  it('answers an unknown admin path with a JSON 404', async () => {
    const { status, body } = await admin(virtual, 'GET', '/_drydock/nope');
    expect(status).toBe(404);
    expect(body.__type).toBe('UnknownOperationException');
  });
});
