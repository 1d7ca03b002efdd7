/**
 * drydock/http-echo: the image demos and tests run instead of a Docker image. An HTTP server on
 * $HOST:$PORT that answers every request with JSON naming its task, container and instance, so
 * a caller behind a load balancer sees which target answered. `?delay=<ms>` makes a slow
 * request, `?status=<code>` picks the status. On SIGTERM it stops accepting connections,
 * finishes the requests in flight and exits 0: the graceful shutdown ECS's stopTimeout allows.
 *
 * A standalone program (node built-ins only, real timers). Environment: HOST (default
 * 127.0.0.1), PORT (default 8080), HTTP_ECHO_MESSAGE (echoed as `message`), and the DRYDOCK_*
 * variables drydock's process runtime sets (task ARN and id, container name, EC2 instance id,
 * availability zone); without them it asks the task metadata endpoint v4 for the task ARN.
 */
import http from 'node:http';

const MAX_DELAY_MS = 10 * 60 * 1000;

const host = process.env.HOST || '127.0.0.1';
const port = integerFromEnv('PORT', 8080);
const identity = {
  taskArn: process.env.DRYDOCK_TASK_ARN ?? null,
  taskId: process.env.DRYDOCK_TASK_ID ?? null,
  container: process.env.DRYDOCK_CONTAINER_NAME ?? null,
  instance: process.env.DRYDOCK_EC2_INSTANCE_ID ?? null,
  availabilityZone: process.env.DRYDOCK_AVAILABILITY_ZONE ?? null,
};
const message = process.env.HTTP_ECHO_MESSAGE;

let shuttingDown = false;
let inFlight = 0;

const server = http.createServer((request, response) => {
  inFlight += 1;
  response.on('close', () => (inFlight -= 1));
  const url = new URL(request.url ?? '/', 'http://echo');
  const delayMs = Math.min(MAX_DELAY_MS, Math.max(0, Number(url.searchParams.get('delay')) || 0));
  const requestedStatus = Number(url.searchParams.get('status'));
  const status =
    Number.isInteger(requestedStatus) && requestedStatus >= 200 && requestedStatus <= 599 ? requestedStatus : 200;
  const receivedAt = new Date().toISOString();
  setTimeout(() => {
    const body = JSON.stringify({
      ...identity,
      ...(message !== undefined ? { message } : {}),
      host,
      port: boundPort(),
      pid: process.pid,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      delayMs,
      receivedAt,
      shuttingDown,
    });
    // After SIGTERM, keep-alive clients are told to reconnect elsewhere.
    if (shuttingDown) response.setHeader('connection', 'close');
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) + 1 });
    response.end(`${body}\n`);
    console.log(`${request.method} ${request.url} ${status} ${delayMs}ms`);
  }, delayMs);
});

server.on('error', (error) => {
  console.error(`http-echo: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  console.log(`http-echo listening on ${host}:${boundPort()}`);
});

void fillIdentityFromMetadata();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`http-echo: ${signal} received, finishing ${inFlight} request(s) in flight`);
    // close() stops accepting and closes idle keep-alive connections; busy ones close after their response.
    server.close(() => {
      console.log('http-echo: stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}

function boundPort(): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 0) return value;
  console.error(`http-echo: ignoring ${name}=${raw}, using ${fallback}`);
  return fallback;
}

/** On a real ECS instance (no DRYDOCK_* variables) the metadata endpoint says which task this is. */
async function fillIdentityFromMetadata(): Promise<void> {
  const base = process.env.ECS_CONTAINER_METADATA_URI_V4;
  if (identity.taskArn !== null || !base) return;
  try {
    const task = (await (await fetch(`${base}/task`)).json()) as { TaskARN?: string; AvailabilityZone?: string };
    if (typeof task.TaskARN === 'string') {
      identity.taskArn = task.TaskARN;
      identity.taskId = task.TaskARN.split('/').pop() ?? null;
    }
    if (typeof task.AvailabilityZone === 'string') identity.availabilityZone = task.AvailabilityZone;
  } catch (error) {
    console.error(`http-echo: task metadata unavailable: ${(error as Error).message}`);
  }
}
