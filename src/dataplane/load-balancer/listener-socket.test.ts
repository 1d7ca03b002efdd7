import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bindFailureMessage, listen, realPortFor } from './listener-socket.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function server(): net.Server {
  const s = net.createServer();
  servers.push(s);
  return s;
}

describe('realPortFor', () => {
  it('moves only privileged ports, and only when an offset is set', () => {
    expect(realPortFor(80, 8000)).toBe(8080);
    expect(realPortFor(443, 8000)).toBe(8443);
    expect(realPortFor(1024, 8000)).toBe(1024);
    expect(realPortFor(8080, 8000)).toBe(8080);
    expect(realPortFor(80, 0)).toBe(80);
    expect(realPortFor(0, 8000)).toBe(0);
  });
});

describe('listen', () => {
  it('resolves with the bound port (an ephemeral one for port 0)', async () => {
    const outcome = await listen(server(), '127.2.0.10', 0);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.port).toBeGreaterThan(0);
  });

  it('resolves with EADDRINUSE for a taken port instead of throwing', async () => {
    const first = await listen(server(), '127.2.0.10', 0);
    if (!first.ok) throw new Error('first bind failed');
    const second = await listen(server(), '127.2.0.10', first.port);
    expect(second).toMatchObject({ ok: false, code: 'EADDRINUSE' });
  });

  it('resolves with a failure for a port out of range', async () => {
    expect(await listen(server(), '127.2.0.10', 70_000)).toMatchObject({ ok: false });
  });
});

describe('bindFailureMessage', () => {
  const base = { message: 'listen EACCES', address: '127.2.0.3', privilegedPortOffset: 0 };
  it('tells how to serve a privileged port without root', () => {
    expect(bindFailureMessage({ ...base, code: 'EACCES', port: 80, realPort: 80 })).toBe(
      'cannot listen on 127.2.0.3:80: port 80 needs root; start drydock with --privileged-port-offset 8000 to serve it on 8080, or give the listener a port of 1024 or more',
    );
  });

  it('names the taken port, the offset that moved it, and the way out', () => {
    const message = bindFailureMessage({
      ...base,
      code: 'EADDRINUSE',
      port: 80,
      realPort: 8080,
      privilegedPortOffset: 8000,
    });
    expect(message).toContain('127.2.0.3:8080');
    expect(message).toContain('listener port 80 + --privileged-port-offset 8000');
    expect(message).toContain('already in use');
    expect(message).toContain('modify-listener --port');
  });

  it('explains a missing loopback address', () => {
    expect(bindFailureMessage({ ...base, code: 'EADDRNOTAVAIL', port: 8080, realPort: 8080 })).toContain(
      'sudo ifconfig lo0 alias 127.2.0.3 up',
    );
  });

  it("falls back to node's own message", () => {
    expect(bindFailureMessage({ ...base, code: 'EWHATEVER', message: 'odd failure', port: 9000, realPort: 9000 })).toBe(
      'cannot listen on 127.2.0.3:9000: odd failure',
    );
  });
});
