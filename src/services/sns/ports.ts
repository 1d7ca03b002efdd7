/**
 * What SNS delivers to. main.ts binds each port: `sqs` to the SQS service (its sendByArn and
 * queueExists), `lambda` to Lambda's asynchronous (Event) invocation, `http` to an HTTP client for
 * http/https subscriptions (absent: such subscriptions are refused). A delivery that throws, or an
 * HTTP answer outside 2xx, is retried on the clock by SNS's delivery policy.
 */

export interface Scope {
  accountId: string;
  region: string;
}

/** A message attribute as SNS hands it on (the same shape as SQS's). */
export interface DeliveredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface SnsSqsPort {
  /** Throws (e.g. QueueDoesNotExist) when the message cannot be sent. */
  sendByArn(scope: Scope, queueArn: string, body: string, attributes?: Record<string, DeliveredAttribute>): void;
  queueExists(scope: Scope, queueArn: string): boolean;
}

export interface SnsLambdaPort {
  /** An Event (asynchronous) invocation; throws when Lambda does not accept it (no such function, …). */
  invokeAsync(scope: Scope, functionArn: string, payload: string): void;
}

export interface SnsHttpPort {
  /** POSTs body with headers; resolves with the HTTP status, rejects when no answer came. */
  post(url: string, body: string, headers: Record<string, string>): Promise<number>;
}

export interface SnsPorts {
  sqs: SnsSqsPort;
  lambda: SnsLambdaPort;
  http?: SnsHttpPort;
}
