/**
 * What other services hand to EventBridge: events in the envelope EventBridge delivers
 * (`UG:eb/eb-events`: version, id, detail-type, source, account, time, region, resources, detail).
 * Services publish through this port; the composition root binds it to the event bus (until the
 * EventBridge issue lands, to a recorder that keeps what would have been delivered).
 */

export interface AwsEventInput {
  accountId: string;
  region: string;
  /** e.g. `aws.autoscaling`, `aws.ec2`, `aws.ecs`. */
  source: string;
  /** e.g. `EC2 Instance-terminate Lifecycle Action`. */
  detailType: string;
  /** ARNs the event is about, as AWS lists them. */
  resources: string[];
  detail: Record<string, unknown>;
  /** When it happened (the kernel clock's time). */
  timeMs: number;
}

export interface EventBusPort {
  /** Best-effort, as AWS's own service events are: never throws back into the publisher. */
  publish(event: AwsEventInput): void;
}
