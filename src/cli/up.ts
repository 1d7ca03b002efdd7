/**
 * `drydock up`: start everything, print the endpoint and the line to paste, stop cleanly on
 * Ctrl-C (SIGINT) or SIGTERM.
 */
import { startDrydock, VERSION } from '../main.js';

export interface UpOptions {
  host: string;
  port: number;
  state: string;
  clock: 'real' | 'virtual';
  timeScale: number;
  seed?: number;
  auth: 'any' | 'strict';
  accessKey?: Record<string, string>;
  account: string;
  region: string;
  logLevel: string;
  privilegedPortOffset?: number;
  instanceBoot?: number;
  instanceShutdown?: number;
  instanceStop?: number;
}

export async function runUp(options: UpOptions): Promise<void> {
  if (options.clock === 'virtual' && options.timeScale !== 1) {
    console.error('drydock: --time-scale applies to the real clock only; a virtual clock moves when advanced.');
    process.exit(2);
  }
  const accessKeys = options.accessKey ?? { test: 'test' };
  let drydock;
  try {
    drydock = await startDrydock({
      host: options.host,
      port: options.port,
      state: options.state,
      clock: options.clock,
      timeScale: options.timeScale,
      seed: options.seed,
      auth: options.auth,
      accessKeys,
      accountId: options.account,
      region: options.region,
      logLevel: options.logLevel,
      privilegedPortOffset: options.privilegedPortOffset,
      ec2Timings: {
        ...(options.instanceBoot === undefined
          ? {}
          : { bootMs: options.instanceBoot * 1000, startMs: options.instanceBoot * 1000 }),
        ...(options.instanceShutdown === undefined ? {} : { shutdownMs: options.instanceShutdown * 1000 }),
        ...(options.instanceStop === undefined ? {} : { stopMs: options.instanceStop * 1000 }),
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      console.error(`drydock: ${options.host}:${options.port} is already in use (is drydock already up?).`);
    else console.error(`drydock: could not start: ${(error as Error).message}`);
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`drydock: ${signal} again, exiting at once.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\ndrydock: ${signal}, shutting down…`);
    await drydock.close();
    console.log('drydock: stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const [keyId, secret] = Object.entries(accessKeys)[0] ?? ['test', 'test'];
  const clock =
    options.clock === 'virtual'
      ? 'virtual (advance with POST /_drydock/clock/advance)'
      : options.timeScale === 1
        ? 'real'
        : `real, ${options.timeScale}x faster`;
  console.log(`drydock ${VERSION} serving AWS APIs on ${drydock.url}`);
  console.log(
    `  clock: ${clock}   state: ${drydock.store.location}   seed: ${drydock.seed}   auth: ${options.auth}   account: ${options.account}`,
  );
  console.log('');
  console.log('Point the AWS CLI and SDKs at it:');
  console.log(
    `  export AWS_ENDPOINT_URL=${drydock.url} AWS_ACCESS_KEY_ID=${keyId} AWS_SECRET_ACCESS_KEY=${secret} AWS_REGION=${options.region} AWS_DEFAULT_REGION=${options.region}`,
  );
  console.log('');
  console.log('Ctrl-C stops it.');
}
