/**
 * Lambda on a real gateway for conformance tests: the Lambda service with the process function
 * runtime (real node and python3 processes) on the system clock, optionally time-scaled, in an
 * in-memory store, served on an ephemeral loopback port; functions' SDK clients point back at
 * it. ECS is served as a one-operation stub (ListClusters) that records who called, so a test can
 * prove that the AWS SDK inside a function reaches drydock with the function's region. SQS is the
 * real SQS service, wired into Lambda as main.ts wires it, for event source mappings.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { SystemClock } from '../../src/kernel/system-clock.js';
import { createProcessFunctionRuntime } from '../../src/dataplane/lambda/process-function-runtime.js';
import type { FunctionRuntimePort } from '../../src/services/lambda/ports.js';
import { createLambdaService, type LambdaService } from '../../src/services/lambda/service.js';
import { lambdaMigrations } from '../../src/services/lambda/store.js';
import { createSqsService, sqsMigrations, type SqsService } from '../../src/services/sqs/service.js';
import { openStore } from '../../src/store/store.js';
import { sdkConfig, startTestGateway } from './gateway-rig.js';

export const ACCOUNT_ID = '000000000000';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/lambda-role`;

export interface LambdaRig {
  url: string;
  clock: SystemClock;
  service: LambdaService;
  runtime: FunctionRuntimePort;
  lambda: LambdaClient;
  sqs: SqsService;
  sqsClient: SQSClient;
  /** ECS ListClusters calls the stub received. */
  ecsCalls: Array<{ region: string; accountId: string }>;
  close(): Promise<void>;
}

export async function startLambdaRig(options: { timeScale?: number } = {}): Promise<LambdaRig> {
  const clock = new SystemClock({ timeScale: options.timeScale ?? 1 });
  const store = openStore({ location: 'memory', migrations: [...lambdaMigrations, ...sqsMigrations] });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  let url = '';
  const runtime = createProcessFunctionRuntime({
    clock,
    logger: silentLogger,
    awsEnvironment: () => ({ AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
  });
  const sqs = createSqsService({
    store,
    clock,
    random: seededRandom(9),
    controlLoop,
    logger: silentLogger,
    baseUrl: () => url,
  });
  const service = createLambdaService({
    store,
    clock,
    random: seededRandom(7),
    controlLoop,
    logger: silentLogger,
    ports: {
      runtime,
      queues: {
        exists: (scope, arn) => sqs.queueExists(scope, arn),
        receive: (scope, arn, max) => sqs.receiveByArn(scope, arn, max),
        delete: (scope, arn, receiptHandle) => sqs.deleteByArn(scope, arn, receiptHandle),
      },
    },
    stateDir: undefined,
  });
  const ecsCalls: LambdaRig['ecsCalls'] = [];
  const gateway = await startTestGateway({
    clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    seed: 8,
    services: {
      lambda: service.operations,
      sqs: sqs.operations,
      ecs: {
        ListClusters: (_input: unknown, request: RequestContext) => {
          ecsCalls.push({ region: request.region, accountId: request.accountId });
          return { clusterArns: [`arn:aws:ecs:${request.region}:${request.accountId}:cluster/from-drydock`] };
        },
      },
    },
    admin: {
      clock: () => ({ mode: 'real', nowMs: clock.now(), now: '', timeScale: options.timeScale ?? 1, pendingTimers: 0 }),
    },
  });
  url = gateway.url;
  const config = sdkConfig(url, REGION);
  const lambda = new LambdaClient(config);
  const sqsClient = new SQSClient(config);
  return {
    url,
    clock,
    service,
    runtime,
    lambda,
    sqs,
    sqsClient,
    ecsCalls,
    async close() {
      lambda.destroy();
      sqsClient.destroy();
      sqs.close();
      await gateway.close();
      await controlLoop.stop();
      await runtime.close();
      service.close();
      clock.close();
      store.close();
    },
  };
}
