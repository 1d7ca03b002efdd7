/**
 * The contract between the gateway and the protocol codecs. A codec turns one HTTP request into
 * (operation, input) using the service model, and turns a handler's output or a ServiceError into
 * HTTP bytes, exactly as the AWS protocol of that service lays them out (awsQuery, ec2 query,
 * awsJson1_0/1_1, restJson1). Codecs know shapes and protocols, nothing about fleets.
 *
 * Values on the service side of a codec are plain objects keyed by the model's member names (the
 * same shapes as the AWS SDK v3 command inputs and outputs): strings, numbers, booleans, `Date`
 * for timestamps, `Uint8Array` for blobs, arrays for lists, plain objects for maps/structures.
 */
import type { ServiceError } from '../kernel/service-error.js';
import type { OperationModel, ServiceModel } from './model.js';

export interface WireRequest {
  method: string;
  /** Path without the query string, still percent-encoded as received. */
  path: string;
  /** Decoded query-string parameters in arrival order. */
  query: URLSearchParams;
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface ParsedCall {
  operation: OperationModel;
  input: Record<string, unknown>;
}

export interface Codec {
  /**
   * Finds the operation and decodes its input. Throws a ServiceError the protocol would answer
   * with when the operation is unknown (`InvalidAction`, `UnknownOperationException`) or the body
   * cannot be read (`SerializationException`, `MalformedQueryString`, ...).
   */
  parse(request: WireRequest, model: ServiceModel): ParsedCall;
  serialize(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireResponse;
  /** `operation` is undefined when the request failed before an operation was found. */
  serializeError(
    model: ServiceModel,
    operation: OperationModel | undefined,
    error: ServiceError,
    requestId: string,
  ): WireResponse;
}
