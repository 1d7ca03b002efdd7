/**
 * drydock/worker: a queue worker stand-in. It does nothing until SIGTERM, then takes
 * WORKER_SHUTDOWN_MS (default 5000) to finish "its current job" and exits 0: the program that
 * shows whether a task's stopTimeout is long enough (too short, and ECS's SIGKILL gives 137).
 *
 * A standalone program (node built-ins only, real timers). The simulated runtime reads the same
 * variable.
 */
const shutdownMs = integerFromEnv('WORKER_SHUTDOWN_MS', 5000);
let stopping = false;

// Keeps the event loop alive until a signal arrives.
const idle = setInterval(() => undefined, 1 << 30);
console.log(`worker started (pid ${process.pid}); SIGTERM takes ${shutdownMs}ms to finish`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`worker: ${signal} received, finishing the current job in ${shutdownMs}ms`);
    setTimeout(() => {
      clearInterval(idle);
      console.log('worker: stopped');
      process.exit(0);
    }, shutdownMs);
  });
}

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 0) return value;
  console.error(`worker: ignoring ${name}=${raw}, using ${fallback}`);
  return fallback;
}
