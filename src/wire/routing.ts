/**
 * Which service a request is for, decided the way AWS endpoints and the SDKs make it possible on
 * one port: the `X-Amz-Target` prefix (JSON protocols), the SigV4 credential scope's signing name,
 * the query protocols' `Version` parameter (SQS's query twin included), and for restJson1 the
 * path; last, an SQS queue URL path. The signing name alone is ambiguous only for
 * `elasticloadbalancing` (Classic ELB and ELBv2), which `Version` settles.
 */
import { loadServiceModel, QUERY_TWINS, SERVICE_IDS, type ServiceId } from './model.js';
import { SERVICE_CATALOG } from './service-catalog.js';

export interface RouteHints {
  /** Lower-cased `x-amz-target` header. */
  target?: string;
  /** Service name from the SigV4 credential scope. */
  signingName?: string;
  /** `Version` of a query-protocol request (form body or query string), read only when needed. */
  version?: () => string | undefined;
  /** Request path, percent-encoded as received. */
  path: string;
}

const byTargetPrefix = new Map<string, ServiceId>();
const bySigningName = new Map<string, ServiceId[]>();
const byApiVersion = new Map<string, ServiceId>();
for (const id of SERVICE_IDS) {
  const entry = SERVICE_CATALOG[id];
  if (entry.targetPrefix) byTargetPrefix.set(entry.targetPrefix.toLowerCase(), id);
  bySigningName.set(entry.signingName, [...(bySigningName.get(entry.signingName) ?? []), id]);
  if (entry.protocol === 'query' || entry.protocol === 'ec2' || QUERY_TWINS.has(id)) {
    byApiVersion.set(entry.apiVersion, id);
  }
}

/** An SQS queue URL's path (`/<account id>/<queue name>`): unsigned query requests are sent there. */
const SQS_QUEUE_PATH = /^\/\d{12}\/[\w.-]{1,80}\/?$/;

let restPrefixes: Array<[string, ServiceId]> | undefined;

/** First path segments of every restJson1 operation, e.g. `/2015-03-31/` for Lambda. */
function restPathPrefixes(): Array<[string, ServiceId]> {
  if (!restPrefixes) {
    const found = new Map<string, ServiceId>();
    for (const id of SERVICE_IDS) {
      if (SERVICE_CATALOG[id].protocol !== 'rest-json') continue;
      for (const operation of Object.values(loadServiceModel(id).operations)) {
        const segment = operation.http.requestUri.split('/')[1];
        if (segment) found.set(`/${segment}/`, id);
      }
    }
    restPrefixes = [...found];
  }
  return restPrefixes;
}

export function routeService(hints: RouteHints): ServiceId | undefined {
  if (hints.target) {
    const dot = hints.target.indexOf('.');
    const service = byTargetPrefix.get(dot === -1 ? hints.target : hints.target.slice(0, dot));
    if (service) return service;
  }
  if (hints.signingName) {
    const candidates = bySigningName.get(hints.signingName);
    if (candidates?.length === 1) return candidates[0];
  }
  const version = hints.version?.();
  if (version) {
    const service = byApiVersion.get(version);
    if (service) return service;
  }
  for (const [prefix, service] of restPathPrefixes()) if (hints.path.startsWith(prefix)) return service;
  if (SQS_QUEUE_PATH.test(hints.path)) return 'sqs';
  return undefined;
}
