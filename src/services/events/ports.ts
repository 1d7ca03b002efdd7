/**
 * EventBridge's ports. Inbound: what other services hand to EventBridge, events in the envelope
 * EventBridge delivers (`UG:eb/eb-events`: version, id, detail-type, source, account, time,
 * region, resources, detail); the composition root binds EventBusPort to EventsService.eventBus.
 * Outbound: EventTargetsPort, what EventBridge delivers to (Lambda, SQS, SNS), and a recorder of
 * every delivery.
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

export interface EventsScope {
  accountId: string;
  region: string;
}

/**
 * What EventBridge delivers to: Lambda functions (and aliases), SQS queues, SNS topics. The
 * composition root binds it to those services. EventBridge itself only decides what to send where
 * and when; a failed delivery is retried with backoff and may end in the target's dead-letter queue.
 */
export interface EventTargetsPort {
  /**
   * Delivers input (the target's transformed input, JSON or text) to targetArn. Delivery failed
   * when it throws (a ServiceError-like error: its `code` or `name` is recorded as the error code;
   * `ResourceNotFoundException`/`AccessDenied*` are not retried, as AWS does not retry them) or
   * resolves to false. `attributes` are set only on dead-letter deliveries: AWS's SQS message
   * attributes `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`, `RETRY_ATTEMPTS`.
   */
  deliver(
    scope: EventsScope,
    targetArn: string,
    input: string,
    attributes?: Record<string, string>,
    /** Set for a FIFO SQS target: its SqsParameters.MessageGroupId, and a deduplication id. */
    fifo?: { messageGroupId: string; messageDeduplicationId: string },
  ): Promise<void | boolean> | void | boolean;
  /**
   * Whether a target ARN names something that exists. PutTargets does not check (nor does AWS),
   * but delivery does: a missing target fails at once with ResourceNotFoundException, unretried.
   * Optional: without it, deliver decides.
   */
  exists?(scope: EventsScope, targetArn: string): boolean;
}

export interface DeliveryLogEntry {
  ruleArn: string;
  targetArn: string;
  input: string;
  ok: boolean;
  error?: string;
  atMs: number;
  /** 'target' for deliveries to the rule's target, 'dead-letter' for the DLQ copy. */
  kind?: 'target' | 'dead-letter';
  /** 1 for the first try. */
  attempt?: number;
}

export interface EventsPorts {
  targets: EventTargetsPort;
  /** Recorder of every delivery attempt, for the outbox and the admin API. */
  deliveryLog?: (entry: DeliveryLogEntry) => void;
}
