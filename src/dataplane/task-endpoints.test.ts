import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/logger.js';
import type { AgentApi } from '../services/ecs/ports.js';
import { TaskEndpointServer, decodeProtectionRequest, routeEndpointPath } from './task-endpoints.js';

describe('routeEndpointPath', () => {
  it('serves the metadata v4 and v3 paths and the agent protection path', () => {
    expect(routeEndpointPath('/v4/abc-1')).toEqual({ kind: 'container-metadata', version: 'v4', id: 'abc-1' });
    expect(routeEndpointPath('/v4/abc-1/task')).toEqual({ kind: 'task-metadata', version: 'v4', id: 'abc-1' });
    expect(routeEndpointPath('/v4/abc-1/taskWithTags')).toMatchObject({ kind: 'task-metadata' });
    expect(routeEndpointPath('/v4/abc-1/stats')).toMatchObject({ kind: 'container-stats' });
    expect(routeEndpointPath('/v3/abc-1/task/stats')).toEqual({ kind: 'task-stats', version: 'v3', id: 'abc-1' });
    expect(routeEndpointPath('/api/abc-1/task-protection/v1/state')).toEqual({ kind: 'task-protection', id: 'abc-1' });
  });

  it('knows nothing else', () => {
    expect(routeEndpointPath('/')).toBeUndefined();
    expect(routeEndpointPath('/v2/metadata')).toBeUndefined();
    expect(routeEndpointPath('/api/abc/task-protection/v2/state')).toBeUndefined();
  });
});

describe('decodeProtectionRequest (the agent decodes like Go: case-insensitive keys, no unknown fields)', () => {
  it('accepts the documented body and its case variants', () => {
    expect(decodeProtectionRequest('{"ProtectionEnabled":true,"ExpiresInMinutes":60}')).toEqual({
      ProtectionEnabled: true,
      ExpiresInMinutes: 60,
    });
    expect(decodeProtectionRequest('{"protectionEnabled":false}')).toEqual({ ProtectionEnabled: false });
    expect(decodeProtectionRequest('{"ProtectionEnabled":null}')).toEqual({});
    expect(decodeProtectionRequest('null')).toEqual({});
  });

  it('rejects malformed JSON, unknown fields and wrong types', () => {
    for (const body of [
      '{',
      '',
      '[]',
      '5',
      '{"Protection":true}',
      '{"ProtectionEnabled":"yes"}',
      '{"ExpiresInMinutes":1.5}',
    ]) {
      expect(decodeProtectionRequest(body), body).toBeUndefined();
    }
  });
});

describe('TaskEndpointServer', () => {
  let server: TaskEndpointServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const taskArn = 'arn:aws:ecs:us-east-1:000000000000:task/default/abc';
  const puts: unknown[] = [];
  const agentApi: AgentApi = {
    taskMetadata: (arn) =>
      arn === taskArn ? { TaskARN: arn, Containers: [{ Name: 'web', DockerId: 'd0cker' }] } : undefined,
    containerMetadata: (arn, name) => (name === 'web' ? { Name: name, DockerId: 'd0cker', TaskARN: arn } : undefined),
    getTaskProtection: (arn) => ({ protection: { ProtectionEnabled: false, ExpirationDate: null, TaskArn: arn } }),
    putTaskProtection: (arn, body) => {
      puts.push(body);
      return { status: 200, body: { protection: { ProtectionEnabled: body.ProtectionEnabled, TaskArn: arn } } };
    },
  };

  async function start() {
    server = new TaskEndpointServer({
      logger: silentLogger,
      agentApi: () => agentApi,
      lookup: (id) =>
        id === 'abc-1'
          ? { taskArn, containerName: 'web' }
          : id === 'abc-2'
            ? { taskArn, containerName: 'gone' }
            : undefined,
      containerStats: async (id) => ({ id }),
      taskStats: async () => ({ d0cker: { id: 'd0cker' } }),
    });
    await server.listen();
    return server.urlsFor('abc-1');
  }

  it('answers metadata from AgentApi on the per-container URLs it hands out', async () => {
    const urls = await start();
    expect(urls.metadataV4).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v4\/abc-1$/);
    const task = await fetch(`${urls.metadataV4}/task`);
    expect(task.status).toBe(200);
    expect(await task.json()).toEqual({ TaskARN: taskArn, Containers: [{ Name: 'web', DockerId: 'd0cker' }] });
    expect(await (await fetch(urls.metadataV4)).json()).toMatchObject({ Name: 'web', DockerId: 'd0cker' });
    expect(await (await fetch(`${urls.metadataV3}/task`)).json()).toMatchObject({ TaskARN: taskArn });
    expect(await (await fetch(`${urls.metadataV4}/stats`)).json()).toEqual({ id: 'abc-1' });
    expect(await (await fetch(`${urls.metadataV4}/task/stats`)).json()).toEqual({ d0cker: { id: 'd0cker' } });
  });

  it('answers 404 for an unknown endpoint id or container, and for unknown paths', async () => {
    const urls = await start();
    const unknown = await fetch(urls.metadataV4.replace('abc-1', 'nope') + '/task');
    expect(unknown.status).toBe(404);
    expect(typeof (await unknown.json())).toBe('string');
    expect((await fetch(urls.metadataV4.replace('abc-1', 'abc-2'))).status).toBe(404);
    expect((await fetch(urls.metadataV4.replace('/v4/abc-1', '/nothing'))).status).toBe(404);
    expect((await fetch(`${urls.metadataV4}/task`, { method: 'POST' })).status).toBe(405);
  });

  it('round-trips task protection through AgentApi, and rejects a malformed body as the agent does', async () => {
    const urls = await start();
    const state = `${urls.agent}/task-protection/v1/state`;
    const put = await fetch(state, { method: 'PUT', body: '{"ProtectionEnabled":true,"ExpiresInMinutes":5}' });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ protection: { ProtectionEnabled: true, TaskArn: taskArn } });
    expect(puts.at(-1)).toEqual({ ProtectionEnabled: true, ExpiresInMinutes: 5 });
    const get = await fetch(state);
    expect(await get.json()).toEqual({
      protection: { ProtectionEnabled: false, ExpirationDate: null, TaskArn: taskArn },
    });

    const bad = await fetch(state, { method: 'PUT', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { Arn: '', Code: 'InvalidParameterException', Message: 'UpdateTaskProtection: failed to decode request' },
    });
    const unknown = await fetch(state.replace('abc-1', 'nope'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { Arn: '', Code: 'ResourceNotFoundException', Message: 'Failed to find a task for the request' },
    });
  });
});
