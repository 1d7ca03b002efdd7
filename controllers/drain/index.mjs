/**
 * The drain function's Lambda entry point (handler `index.handler`, Node.js 20+, ES module): SDK
 * clients from the execution environment (region and credentials from Lambda's variables; on
 * drydock AWS_ENDPOINT_URL points them at drydock) and settings from the function's environment.
 * See README.md; the logic is in drain.mjs.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import process from 'node:process';
import { createDrainHandler } from './drain.mjs';
import { readSettings } from './settings.mjs';

export const handler = createDrainHandler({
  ecs: new ECSClient({}),
  autoscaling: new AutoScalingClient({}),
  lambda: new LambdaClient({}),
  settings: readSettings(process.env),
});
