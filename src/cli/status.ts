/**
 * `drydock status`: asks a running drydock (GET /_drydock/status) what it serves and prints it.
 */

interface StatusDocument {
  version: string;
  endpoint: string;
  clock: { mode: string; now: string; timeScale: number; pendingTimers: number };
  seed: number;
  state: string;
  auth: string;
  accountId: string;
  startedAt: string;
  controlLoop: { queued: number; running: number; reconciles: number; errors: number };
  resources: Record<string, Record<string, number>>;
  listeners: Array<{ address: string; description: string }>;
}

export async function runStatus(options: { endpoint: string; json?: boolean }): Promise<void> {
  const url = new URL('/_drydock/status', options.endpoint);
  let status: StatusDocument;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    status = (await response.json()) as StatusDocument;
  } catch (error) {
    console.error(
      `drydock is not answering at ${options.endpoint} (${(error as Error).message}). Start it with: drydock up`,
    );
    process.exit(1);
  }
  if (options.json) {
    console.log(JSON.stringify(status, null, 2));
    return;
  }
  const scale = status.clock.timeScale === 1 ? '' : `, ${status.clock.timeScale}x`;
  console.log(`drydock ${status.version} at ${status.endpoint}`);
  console.log(
    `  clock      ${status.clock.mode}${scale}, now ${status.clock.now}, ${status.clock.pendingTimers} timers pending`,
  );
  console.log(`  state      ${status.state}`);
  console.log(`  seed       ${status.seed}    auth ${status.auth}    account ${status.accountId}`);
  console.log(`  up since   ${status.startedAt}`);
  console.log(
    `  reconciles ${status.controlLoop.reconciles} done, ${status.controlLoop.queued} queued, ${status.controlLoop.errors} errors`,
  );
  console.log('  resources');
  // Only what exists: a table with no rows says nothing a person needs to read.
  const services = Object.entries(status.resources)
    .map(([service, tables]) => [service, Object.entries(tables).filter(([, rows]) => rows > 0)] as const)
    .filter(([, tables]) => tables.length > 0);
  if (services.length === 0) console.log('    (none yet)');
  for (const [service, tables] of services) {
    console.log(`    ${service.padEnd(12)} ${tables.map(([table, rows]) => `${rows} ${table}`).join(', ')}`);
  }
  console.log('  listeners');
  if (status.listeners.length === 0) console.log('    (none yet: load balancers open them)');
  for (const listener of status.listeners) console.log(`    ${listener.address}  ${listener.description}`);
}
