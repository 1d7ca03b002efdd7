/**
 * The `drydock` command: `up` serves the AWS APIs, `status` asks a running drydock what it runs.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../main.js';
import { runLogs } from './logs.js';
import { runStatus } from './status.js';
import { runUp } from './up.js';

function integer(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}.`);
    }
    return value;
  };
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number greater than 0.');
  return value;
}

function nonNegativeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more.');
  return value;
}

function accessKey(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new InvalidArgumentError('must look like ACCESS_KEY_ID:SECRET.');
  return { ...previous, [text.slice(0, colon)]: text.slice(colon + 1) };
}

function accountId(text: string): string {
  if (!/^\d{12}$/.test(text)) throw new InvalidArgumentError('must be 12 digits.');
  return text;
}

export function buildProgram(): Command {
  const program = new Command('drydock')
    .description('A local, AWS-compatible control plane for container fleets.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError();

  program
    .command('up')
    .description('serve the AWS APIs on one port until Ctrl-C')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', integer(0, 65535), 4566)
    .option('--state <dir|memory>', 'directory for drydock.sqlite, or "memory" for a throwaway run', '.drydock')
    .addOption(
      new Option('--clock <mode>', 'real time, or a virtual clock advanced on demand')
        .choices(['real', 'virtual'])
        .default('real'),
    )
    .option('--time-scale <factor>', 'real clock only: run drydock timers this many times faster', positiveNumber, 1)
    .option('--seed <n>', 'seed for ids and random choices (reproducible runs)', integer(0, 2 ** 32 - 1))
    .addOption(
      new Option('--auth <mode>', 'accept any credentials, or verify SigV4 signatures')
        .choices(['any', 'strict'])
        .default('any'),
    )
    .option(
      '--access-key <id:secret>',
      'an access key accepted under --auth strict (repeatable; default test:test)',
      accessKey,
    )
    .option('--account <id>', 'the AWS account id drydock answers as', accountId, '000000000000')
    .option('--region <name>', 'region for requests that carry no SigV4 scope', 'us-east-1')
    .option(
      '--privileged-port-offset <n>',
      'serve load-balancer listener ports below 1024 this much higher (8000: port 80 on 8080)',
      integer(0, 64511),
    )
    .option('--instance-boot <seconds>', 'EC2 pending → running, in drydock time (default 15)', nonNegativeNumber)
    .option(
      '--instance-shutdown <seconds>',
      'EC2 shutting-down → terminated, in drydock time (default 35)',
      nonNegativeNumber,
    )
    .option('--instance-stop <seconds>', 'EC2 stopping → stopped, in drydock time (default 30)', nonNegativeNumber)
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .action(runUp);

  program
    .command('status')
    .description('show what a running drydock serves: clock, state, resources per service')
    .option('--endpoint <url>', 'drydock endpoint', process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566')
    .option('--json', 'print the raw status document')
    .action(runStatus);

  program
    .command('logs')
    .description("print an ECS task's container output, or a Lambda function's")
    .argument('<task-or-function>', 'ECS task id or ARN, or Lambda function name')
    .option('--cluster <name>', 'the cluster of the task (default: any)')
    .option('--container <name>', 'only this container')
    .option(
      '--region <name>',
      'region of the task',
      process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    )
    .option('-t, --timestamps', 'prefix each line with its time')
    .option('--endpoint <url>', 'drydock endpoint', process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566')
    .action(runLogs);

  program
    .command('demo')
    .description("seed 000's ECS fleet refreshed under load, narrated (starts drydock in-process)")
    .option('--managed', "drain with an ECS capacity provider's managed draining instead of a hook and function")
    .option('--endpoint <url>', 'use a drydock that is already running (real clock) instead of starting one')
    .option('--time-scale <factor>', 'in-process drydock: run its clock this many times faster', positiveNumber, 60)
    .option('--rate <n>', 'requests per second on the load balancer', positiveNumber, 20)
    .option('--concurrency <n>', 'connections the load uses at most', integer(1, 64), 4)
    .option(
      '--listener-port <port>',
      "port of the ALB's listener (on the load balancer's own address)",
      integer(1024, 65535),
      8080,
    )
    .option('--timeout <seconds>', 'give up after this much wall time', positiveNumber, 110)
    .option('--plain', 'plain lines, no live status line (the default when stdout is not a terminal)')
    .option('--seed <n>', 'seed of the in-process drydock', integer(0, 2 ** 32 - 1))
    .option(
      '--region <name>',
      'region to build in',
      process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    )
    // Loaded on use: the demo brings the AWS SDK clients, which the other commands do not need.
    .action(async (options) => (await import('./demo/demo.js')).runDemo(options));

  return program;
}

await buildProgram().parseAsync(process.argv);
