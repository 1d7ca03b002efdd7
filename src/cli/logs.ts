/**
 * `drydock logs <task-id | function>`: a task's container output (GET /_drydock/ecs/logs), like
 * `docker logs` for each of the task's containers, or a Lambda function's output
 * (GET /_drydock/lambda/logs). ECS task ids are 32 hex digits; anything else names a function.
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

const TASK = /^([0-9a-f]{32}|arn:aws[\w-]*:ecs:.*:task\/.+)$/;

export async function runLogs(name: string, options: LogsOptions): Promise<void> {
  const isTask = TASK.test(name);
  const url = new URL(isTask ? '/_drydock/ecs/logs' : '/_drydock/lambda/logs', options.endpoint);
  url.searchParams.set(isTask ? 'task' : 'function', name);
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
  const body = (await response.json()) as LogsDocument & {
    lines?: Array<{ atMs: number; line: string }>;
    __type?: string;
    message?: string;
  };
  if (!response.ok) {
    console.error(`drydock: ${body.__type ?? response.status}: ${body.message ?? ''}`);
    process.exit(1);
  }
  if (!isTask) {
    for (const entry of body.lines ?? []) {
      process.stdout.write(`${options.timestamps ? `${new Date(entry.atMs).toISOString()} ` : ''}${entry.line}\n`);
    }
    return;
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
