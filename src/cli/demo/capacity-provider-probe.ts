/**
 * Whether the drydock the demo talks to can do `--managed`: ECS capacity providers with managed
 * draining, which need ECS to reach Auto Scaling. One quick call decides it: CreateCapacityProvider
 * for an Auto Scaling group that does not exist must be refused for that reason, and only that.
 */
import { CreateCapacityProviderCommand, type ECSClient } from '@aws-sdk/client-ecs';

/** undefined when capacity providers work; else what is missing, in drydock's words. */
export async function managedDrainingMissing(
  ecs: ECSClient,
  prefix: string,
  region: string,
): Promise<string | undefined> {
  try {
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: `${prefix}-probe`,
        autoScalingGroupProvider: {
          autoScalingGroupArn: `arn:aws:autoscaling:${region}:000000000000:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${prefix}-missing`,
          managedDraining: 'ENABLED',
          managedTerminationProtection: 'DISABLED',
        },
      }),
    );
    return 'CreateCapacityProvider accepted an Auto Scaling group that does not exist.';
  } catch (error) {
    const { name, message } = error as Error;
    if (/does not exist/i.test(message) && !/not available/i.test(message)) return undefined;
    return `${name}: ${message}`;
  }
}
