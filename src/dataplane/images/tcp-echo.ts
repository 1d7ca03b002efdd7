/**
 * drydock/tcp-echo: a TCP echo server on $HOST:$PORT for long-lived connections (what an NLB's
 * connection draining and ELB deregistration delay are about). On SIGTERM it closes its
 * listener, lets open connections carry on until their clients close them, and exits 0 once
 * none remain or after TCP_ECHO_DRAIN_MS (default 10000), destroying whatever is still open.
 *
 * A standalone program (node built-ins only, real timers). Environment: HOST (default
 * 127.0.0.1), PORT (default 9000), TCP_ECHO_DRAIN_MS.
 */
import net from 'node:net';

const host = process.env.HOST || '127.0.0.1';
const port = integerFromEnv('PORT', 9000);
const drainMs = integerFromEnv('TCP_ECHO_DRAIN_MS', 10_000);

const connections = new Set<net.Socket>();
let shuttingDown = false;

const server = net.createServer((socket) => {
  connections.add(socket);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  console.log(`tcp-echo: connection from ${peer} (${connections.size} open)`);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`tcp-echo: ${peer} closed (${connections.size} open)`);
    if (shuttingDown && connections.size === 0) finish();
  });
});

server.on('error', (error) => {
  console.error(`tcp-echo: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(`tcp-echo listening on ${host}:${typeof address === 'object' && address ? address.port : port}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`tcp-echo: ${signal} received, draining ${connections.size} connection(s) for up to ${drainMs}ms`);
    server.close();
    if (connections.size === 0) {
      finish();
      return;
    }
    setTimeout(() => {
      console.log(`tcp-echo: drain limit reached, closing ${connections.size} connection(s)`);
      for (const socket of connections) socket.destroy();
      finish();
    }, drainMs).unref();
  });
}

function finish(): void {
  console.log('tcp-echo: stopped');
  process.exit(0);
}

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 0) return value;
  console.error(`tcp-echo: ignoring ${name}=${raw}, using ${fallback}`);
  return fallback;
}
