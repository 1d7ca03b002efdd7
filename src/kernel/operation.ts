/**
 * The contract between the wire gateway and a service: an operation handler receives the decoded,
 * validated input (member names exactly as in the AWS model, the same shapes as the AWS SDK v3
 * `*Request` types) and returns the output shape or throws a ServiceError. Handlers record intent
 * and return; controllers do the work later (ARCHITECTURE.md).
 */

export interface RequestContext {
  readonly requestId: string;
  /** From the SigV4 credential scope, else the gateway's default region. */
  readonly region: string;
  readonly accountId: string;
  readonly serviceId: string;
  readonly operationName: string;
  /** The caller's `X-Amzn-Trace-Id`, when it sent one (Lambda follows recursive loops by it). */
  readonly traceHeader?: string;
}

export type OperationHandler<I = never, O = unknown> = (input: I, context: RequestContext) => O | Promise<O>;

/** A service's implemented operations, keyed by the model's operation name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationTable = Readonly<Record<string, OperationHandler<any, unknown>>>;
