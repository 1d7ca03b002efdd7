/**
 * `drydock logs <task-id>`: a task's container output, from a running drydock
 * (GET /_drydock/ecs/logs), like `docker logs` for each of the task's containers.
 */

interface LogsDocument {
  containers: Array<{ containerName: string; lines: Array<{ atMs: number; stream: string; line: string }> }>;
}

export interface LogsOptions {
  endpoint: string;
  cluster?: string;
  region: string;
  container?: string;
  timestamps?: boolean;
}

export async function runLogs(task: string, options: LogsOptions): Promise<void> {
  const url = new URL('/_drydock/ecs/logs', options.endpoint);
  url.searchParams.set('task', task);
  url.searchParams.set('region', options.region);
  if (options.cluster) url.searchParams.set('cluster', options.cluster);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    console.error(
      `drydock is not answering at ${options.endpoint} (${(error as Error).message}). Start it with: drydock up`,
    );
    process.exit(1);
  }
  const body = (await response.json()) as LogsDocument & { __type?: string; message?: string };
  if (!response.ok) {
    console.error(`drydock: ${body.__type ?? response.status}: ${body.message ?? ''}`);
    process.exit(1);
  }
  const containers = body.containers.filter((c) => !options.container || c.containerName === options.container);
  for (const container of containers) {
    if (containers.length > 1) console.log(`==> ${container.containerName} <==`);
    for (const entry of container.lines) {
      const prefix = options.timestamps ? `${new Date(entry.atMs).toISOString()} ` : '';
      (entry.stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix}${entry.line}\n`);
    }
  }
}
