/**
 * A gateway serving SQS and SNS alone, in-process on an ephemeral port, on a virtual clock by
 * default, with SNS's Lambda and HTTP ports recorded (or scripted to fail) so tests can see
 * exactly what SNS delivered. The SQS port is the real SQS service, as main.ts wires it.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../src/kernel/clock.js';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { seededRandom } from '../../src/kernel/random.js';
import { SystemClock } from '../../src/kernel/system-clock.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import { createSnsService, snsMigrations, type SnsService } from '../../src/services/sns/service.js';
import { createSqsService, sqsMigrations, type SqsService } from '../../src/services/sqs/service.js';
import { openStore, type Store } from '../../src/store/store.js';
import { sdkConfig, startTestGateway } from './gateway-rig.js';

export const ACCOUNT = '000000000000';

export interface LambdaCall {
  functionArn: string;
  payload: string;
  region: string;
}

export interface HttpCall {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface MessagingRig {
  url: string;
  clock: Clock;
  virtual: VirtualClock | undefined;
  store: Store;
  controlLoop: ControlLoop;
  sqs: SqsService;
  sns: SnsService;
  lambdaCalls: LambdaCall[];
  httpCalls: HttpCall[];
  /** Lambda invocations throw while this returns an error. */
  lambdaFailure: (functionArn: string) => Error | undefined;
  /** HTTP answers with this status (default 200). */
  httpStatus: (url: string) => number;
  sqsClient: SQSClient;
  snsClient: SNSClient;
  close(): Promise<void>;
}

export async function startMessaging(
  options: { clock?: 'virtual' | 'real'; http?: boolean } = {},
): Promise<MessagingRig> {
  const virtual = options.clock === 'real' ? undefined : new VirtualClock();
  const clock: Clock = virtual ?? new SystemClock();
  const random = seededRandom(7);
  const store = openStore({ location: 'memory', migrations: [...sqsMigrations, ...snsMigrations] });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  let url = '';
  const sqs = createSqsService({
    store,
    clock,
    random: random.fork('sqs'),
    controlLoop,
    logger: silentLogger,
    baseUrl: () => url,
  });
  const rig = {
    lambdaCalls: [] as LambdaCall[],
    httpCalls: [] as HttpCall[],
    lambdaFailure: (() => undefined) as MessagingRig['lambdaFailure'],
    httpStatus: (() => 200) as MessagingRig['httpStatus'],
  };
  const sns = createSnsService({
    store,
    clock,
    random: random.fork('sns'),
    controlLoop,
    logger: silentLogger,
    baseUrl: () => url,
    ports: {
      sqs: { sendByArn: (...args) => sqs.sendByArn(...args), queueExists: (...args) => sqs.queueExists(...args) },
      lambda: {
        invokeAsync: (scope, functionArn, payload) => {
          const failure = rig.lambdaFailure(functionArn);
          rig.lambdaCalls.push({ functionArn, payload, region: scope.region });
          if (failure) throw failure;
        },
      },
      ...(options.http === false
        ? {}
        : {
            http: {
              post: async (target: string, body: string, headers: Record<string, string>) => {
                rig.httpCalls.push({ url: target, body, headers });
                return rig.httpStatus(target);
              },
            },
          }),
    },
  });
  const gateway = await startTestGateway({
    clock,
    accountId: ACCOUNT,
    region: 'us-east-1',
    random: random.fork('gateway'),
    services: { sqs: sqs.operations, sns: sns.operations },
    admin: {
      reset: () => store.reset(),
      clock: () => ({
        mode: clock.mode,
        nowMs: clock.now(),
        now: new Date(clock.now()).toISOString(),
        timeScale: 1,
        pendingTimers: clock.pendingTimerCount(),
      }),
    },
  });
  url = gateway.url;
  const config = sdkConfig(url, 'us-east-1');
  return Object.assign(rig, {
    url,
    clock,
    virtual,
    store,
    controlLoop,
    sqs,
    sns,
    sqsClient: new SQSClient(config),
    snsClient: new SNSClient(config),
    async close() {
      sqs.close();
      await gateway.close();
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  });
}

/** The environment the AWS CLI needs to talk to the rig (no profile, no config file). */
export function awsCliEnv(url: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}
