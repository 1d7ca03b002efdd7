/**
 * drydock/crash: a container that fails. It exits with CRASH_EXIT_CODE (default 1) after
 * CRASH_AFTER_MS (default 1000), which is what an essential container exiting looks like to ECS
 * (`Essential container in task exited`). Until then SIGTERM ends it the default way (143).
 *
 * A standalone program (node built-ins only, real timers). The simulated runtime reads the same
 * variables.
 */
const exitCode = integerFromEnv('CRASH_EXIT_CODE', 1);
const afterMs = integerFromEnv('CRASH_AFTER_MS', 1000);

console.log(`crash: exiting with code ${exitCode} in ${afterMs}ms`);
setTimeout(() => {
  console.error(`crash: exiting with code ${exitCode}`);
  process.exit(exitCode);
}, afterMs);

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 0) return value;
  console.error(`crash: ignoring ${name}=${raw}, using ${fallback}`);
  return fallback;
}
