/**
 * What Lambda needs from outside, and what it offers other services. The control plane (this
 * service) decides which version an invocation runs, whether it is throttled, when an `Event`
 * invocation is retried (AWS's two retries, 1 min then 2 min apart) and whether a recursive loop
 * is cut off. The data plane (src/dataplane/lambda) runs the function: warm runtime processes,
 * timeouts, logs. EventBridge and SNS reach functions through `LambdaInvokePort`; SQS event
 * source mappings read their queue through `QueuePort`.
 */

export interface LambdaScope {
  accountId: string;
  region: string;
}

export interface FunctionInvocationRequest {
  /** Unqualified: `arn:aws:lambda:<region>:<account>:function:<name>`. */
  functionArn: string;
  /** `$LATEST` or a published version number. */
  version: string;
  /** The ARN the caller named (an alias ARN, a version ARN or the unqualified one): `context.invokedFunctionArn`. */
  invokedFunctionArn?: string;
  /** `nodejs20.x`, `python3.12`, `provided.al2023`, … */
  runtime: string;
  /** `index.handler`, `app.lambda_handler`; ignored by `provided*` runtimes. */
  handler: string;
  /** Where the function's code is unpacked (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** The function's own variables; the runtime adds the reserved AWS_* ones. */
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMiB: number;
  /** JSON text of the event. */
  payload: Uint8Array;
  /** The invocation's request id (`context.awsRequestId`). */
  requestId: string;
  /** JSON text (already base64-decoded) of the caller's ClientContext. */
  clientContext?: string;
  /** codeDir is a live directory (hot reload): a warm instance is reused only while its files are unchanged. */
  hotReload?: boolean;
  /** X-Ray style trace header for `_X_AMZN_TRACE_ID`; SDK calls made by the function carry it (recursion detection). */
  traceId?: string;
}

export interface FunctionInvocationResult {
  /** The function's response, or the error document when functionError is set. */
  payload: Uint8Array;
  functionError?: 'Unhandled' | 'Handled';
  /** The invocation's log lines (START … END, REPORT), for `LogType: Tail`. */
  logTail: string;
}

export interface FunctionLogLine {
  atMs: number;
  line: string;
}

export interface FunctionRuntimePort {
  /** Runs one invocation on a warm instance (or a new one); rejects only when the runtime itself fails. */
  invoke(request: FunctionInvocationRequest): Promise<FunctionInvocationResult>;
  /** Output of a function's instances, oldest first; by unqualified function ARN, or by bare name across regions. */
  logs(functionName: string): FunctionLogLine[];
  /** Stops every instance by pid. */
  close(): Promise<void>;
}

export interface AsyncInvokeOptions {
  /** The X-Amzn-Trace-Id of the request that caused this delivery (SNS Publish, PutEvents), to follow recursive loops. */
  traceHeader?: string;
}

/** What EventBridge targets and SNS subscriptions call. */
export interface LambdaInvokePort {
  /** An `Event` invocation by function, alias or version ARN (or name); throws ResourceNotFoundException if it doesn't exist. */
  invokeAsync(scope: LambdaScope, functionArn: string, payload: string, options?: AsyncInvokeOptions): void;
  functionExists(scope: LambdaScope, functionArn: string): boolean;
}

/** A message an event source mapping received, as the SQS event record carries it. */
export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** System attributes: ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, … */
  attributes: Record<string, string>;
  /** Already in the Lambda event's spelling (`stringValue`, `dataType`, …). */
  messageAttributes: Record<string, unknown>;
}

/** What SQS event source mappings poll through: SQS by queue ARN, as a consumer. */
export interface QueuePort {
  exists(scope: LambdaScope, queueArn: string): boolean;
  /** Up to `max` visible messages, each in flight for the queue's visibility timeout; throws if the queue is gone. */
  receive(scope: LambdaScope, queueArn: string, max: number): QueueMessage[];
  delete(scope: LambdaScope, queueArn: string, receiptHandle: string): void;
}
