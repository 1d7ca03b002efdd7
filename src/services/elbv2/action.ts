/**
 * Listener and rule actions (C.5): `forward` (one target group, or a ForwardConfig of up to 5
 * weighted groups, weights 0–999), `redirect` and `fixed-response`. Stored normalized and described
 * the way AWS answers: a forward to one group carries both `TargetGroupArn` and a `ForwardConfig`
 * of weight 1. Authentication actions need an identity provider drydock does not have, so they
 * are refused in plain words.
 */
import {
  incompatibleProtocols,
  invalidAction,
  invalidArn,
  targetGroupsNamedNotFound,
  tooManyActions,
  validationError,
} from './errors.js';
import { isArnOf, type LoadBalancerType } from './arns.js';
import { LIMITS } from './limits.js';
import type { TargetGroupRecord } from './target-group.js';

export interface WeightedTargetGroup {
  targetGroupArn: string;
  weight: number;
}

export interface RedirectRecord {
  protocol: string;
  port: string;
  host: string;
  path: string;
  query: string;
  statusCode: 'HTTP_301' | 'HTTP_302';
}

export type ActionRecord =
  | {
      type: 'forward';
      order?: number;
      targetGroups: WeightedTargetGroup[];
      stickiness: { enabled: boolean; durationSeconds?: number };
    }
  | { type: 'redirect'; order?: number; redirect: RedirectRecord }
  | {
      type: 'fixed-response';
      order?: number;
      fixedResponse: { statusCode: string; contentType?: string; messageBody?: string };
    };

export interface WireAction {
  Type?: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups?: Array<{ TargetGroupArn?: string; Weight?: number }>;
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  RedirectConfig?: {
    Protocol?: string;
    Port?: string;
    Host?: string;
    Path?: string;
    Query?: string;
    StatusCode?: string;
  };
  FixedResponseConfig?: { StatusCode?: string; ContentType?: string; MessageBody?: string };
}

export interface ActionContext {
  loadBalancerType: LoadBalancerType;
  /** The target group an ARN names in the caller's scope, if any. */
  findTargetGroup(arn: string): TargetGroupRecord | undefined;
}

const FIXED_RESPONSE_CONTENT_TYPES = [
  'text/plain',
  'text/css',
  'text/html',
  'application/javascript',
  'application/json',
];

/** Validates and normalizes an action list (listener default actions or a rule's actions). */
export function actionsFromWire(actions: readonly WireAction[] | undefined, ctx: ActionContext): ActionRecord[] {
  if (!actions || actions.length === 0) throw validationError('At least one action must be specified');
  for (const action of actions) {
    const type = action.Type ?? '';
    if (type.startsWith('authenticate-') || type === 'jwt-validation') {
      throw invalidAction(`drydock does not support '${type}' actions; use forward, redirect or fixed-response`);
    }
  }
  // UNCONFIRMED wording: every action list ends in exactly one of forward, redirect, fixed-response.
  if (actions.length > 1) {
    throw tooManyActions('An action list can contain only one forward, redirect or fixed-response action');
  }
  const action = actions[0]!;
  if (ctx.loadBalancerType === 'network' && action.Type !== 'forward') {
    throw invalidAction(`Network Load Balancer listeners support only forward actions, not '${action.Type ?? ''}'`);
  }
  const order = action.Order !== undefined ? { order: action.Order } : {};
  switch (action.Type) {
    case 'forward':
      return [{ type: 'forward', ...order, ...forwardFromWire(action, ctx) }];
    case 'redirect':
      return [{ type: 'redirect', ...order, redirect: redirectFromWire(action) }];
    case 'fixed-response':
      return [{ type: 'fixed-response', ...order, fixedResponse: fixedResponseFromWire(action) }];
    default:
      throw validationError(`Action type '${action.Type ?? ''}' is not valid`);
  }
}

function forwardFromWire(action: WireAction, ctx: ActionContext) {
  const config = action.ForwardConfig;
  const tuples = config?.TargetGroups ?? [];
  if (action.TargetGroupArn === undefined && tuples.length === 0) {
    throw validationError('A target group ARN must be specified for a forward action');
  }
  if (action.TargetGroupArn !== undefined && tuples.length > 0) {
    // C.5: with both, the ForwardConfig must hold exactly that one group.
    if (tuples.length !== 1 || tuples[0]!.TargetGroupArn !== action.TargetGroupArn) {
      throw validationError(
        'You cannot specify both a target group ARN and a ForwardConfig holding other target groups',
      );
    }
  }
  const maxGroups = ctx.loadBalancerType === 'application' ? LIMITS.targetGroupsPerAction : 1;
  const entries = tuples.length > 0 ? tuples : [{ TargetGroupArn: action.TargetGroupArn, Weight: undefined }];
  if (entries.length > maxGroups) {
    throw validationError(`A forward action can have at most ${maxGroups} target group${maxGroups === 1 ? '' : 's'}`);
  }
  const seen = new Set<string>();
  const missing: string[] = [];
  const targetGroups: WeightedTargetGroup[] = [];
  for (const entry of entries) {
    const arn = entry.TargetGroupArn ?? '';
    if (!isArnOf(arn, 'targetgroup')) throw invalidArn(arn, 'target group');
    if (seen.has(arn)) throw validationError(`Target group '${arn}' is specified more than once in the forward action`);
    seen.add(arn);
    if (entries.length > 1 && entry.Weight === undefined) {
      throw validationError('A weight must be specified for each target group when forwarding to more than one');
    }
    const weight = entry.Weight ?? 1;
    if (!Number.isInteger(weight) || weight < 0 || weight > 999) {
      throw validationError(`Target group weight '${weight}' must be between 0 and 999`);
    }
    const group = ctx.findTargetGroup(arn);
    if (!group) {
      missing.push(arn);
      continue;
    }
    const listenerProtocol = ctx.loadBalancerType === 'application' ? 'HTTP' : 'TCP';
    if (group.protocol !== listenerProtocol) {
      throw incompatibleProtocols(
        `Listener protocol '${listenerProtocol}' is not supported with a target group with the protocol '${group.protocol}'`,
      );
    }
    targetGroups.push({ targetGroupArn: arn, weight });
  }
  if (missing.length > 0) throw targetGroupsNamedNotFound(missing);
  const stickinessInput = config?.TargetGroupStickinessConfig;
  const stickiness: { enabled: boolean; durationSeconds?: number } = { enabled: stickinessInput?.Enabled ?? false };
  if (stickinessInput?.DurationSeconds !== undefined) {
    if (stickinessInput.DurationSeconds < 1 || stickinessInput.DurationSeconds > 604800) {
      throw validationError('Target group stickiness duration must be between 1 and 604800 seconds');
    }
    stickiness.durationSeconds = stickinessInput.DurationSeconds;
  }
  return { targetGroups, stickiness };
}

function redirectFromWire(action: WireAction): RedirectRecord {
  const config = action.RedirectConfig;
  if (!config) throw validationError('A redirect action must have a RedirectConfig');
  const redirect: RedirectRecord = {
    protocol: config.Protocol ?? '#{protocol}',
    port: config.Port ?? '#{port}',
    host: config.Host ?? '#{host}',
    path: config.Path ?? '/#{path}',
    query: config.Query ?? '#{query}',
    statusCode: config.StatusCode === 'HTTP_301' ? 'HTTP_301' : 'HTTP_302',
  };
  if (!['HTTP', 'HTTPS', '#{protocol}'].includes(redirect.protocol)) {
    throw validationError(`Redirect protocol '${redirect.protocol}' must be HTTP, HTTPS or #{protocol}`);
  }
  if (redirect.port !== '#{port}' && !(/^\d+$/.test(redirect.port) && +redirect.port >= 1 && +redirect.port <= 65535)) {
    throw validationError(`Redirect port '${redirect.port}' must be a port number between 1 and 65535 or #{port}`);
  }
  if (!redirect.path.startsWith('/')) throw validationError(`Redirect path '${redirect.path}' must begin with a '/'`);
  const loops =
    redirect.protocol === '#{protocol}' &&
    redirect.port === '#{port}' &&
    redirect.host === '#{host}' &&
    redirect.path === '/#{path}' &&
    redirect.query === '#{query}';
  if (loops) {
    // UNCONFIRMED wording: AWS refuses a redirect back to the URL it came from.
    throw invalidAction('A redirect action must change at least one of protocol, port, host, path or query');
  }
  return redirect;
}

function fixedResponseFromWire(action: WireAction) {
  const config = action.FixedResponseConfig;
  if (!config) throw validationError('A fixed-response action must have a FixedResponseConfig');
  const statusCode = config.StatusCode ?? '';
  if (!/^[245]\d\d$/.test(statusCode)) {
    throw validationError(`Fixed response status code '${statusCode}' must be a 2XX, 4XX or 5XX code`);
  }
  if (config.ContentType !== undefined && !FIXED_RESPONSE_CONTENT_TYPES.includes(config.ContentType)) {
    throw validationError(
      `Fixed response content type '${config.ContentType}' must be one of ${FIXED_RESPONSE_CONTENT_TYPES.join(', ')}`,
    );
  }
  return {
    statusCode,
    ...(config.ContentType !== undefined ? { contentType: config.ContentType } : {}),
    ...(config.MessageBody !== undefined ? { messageBody: config.MessageBody } : {}),
  };
}

export function actionToWire(action: ActionRecord) {
  const order = action.order !== undefined ? { Order: action.order } : {};
  switch (action.type) {
    case 'forward': {
      const single = action.targetGroups.length === 1 ? { TargetGroupArn: action.targetGroups[0]!.targetGroupArn } : {};
      return {
        Type: 'forward',
        ...order,
        ...single,
        ForwardConfig: {
          TargetGroups: action.targetGroups.map((group) => ({
            TargetGroupArn: group.targetGroupArn,
            Weight: group.weight,
          })),
          TargetGroupStickinessConfig: {
            Enabled: action.stickiness.enabled,
            ...(action.stickiness.durationSeconds !== undefined
              ? { DurationSeconds: action.stickiness.durationSeconds }
              : {}),
          },
        },
      };
    }
    case 'redirect':
      return {
        Type: 'redirect',
        ...order,
        RedirectConfig: {
          Protocol: action.redirect.protocol,
          Port: action.redirect.port,
          Host: action.redirect.host,
          Path: action.redirect.path,
          Query: action.redirect.query,
          StatusCode: action.redirect.statusCode,
        },
      };
    case 'fixed-response':
      return {
        Type: 'fixed-response',
        ...order,
        FixedResponseConfig: {
          StatusCode: action.fixedResponse.statusCode,
          ContentType: action.fixedResponse.contentType,
          MessageBody: action.fixedResponse.messageBody,
        },
      };
  }
}

/** The target groups an action list forwards to. */
export function forwardedTargetGroups(actions: readonly ActionRecord[]): string[] {
  return actions.flatMap((action) =>
    action.type === 'forward' ? action.targetGroups.map((group) => group.targetGroupArn) : [],
  );
}

/**
 * The Location of a redirect (`UG:alb/load-balancer-listeners#redirect-actions`): each part may
 * reuse the request's `#{protocol}`, `#{host}`, `#{port}`, `#{path}` (without its leading `/`)
 * and `#{query}`; an empty query drops the `?`.
 */
export function redirectLocation(
  redirect: RedirectRecord,
  request: { protocol: string; host: string; port: number; path: string; query: string },
): string {
  const values: Record<string, string> = {
    protocol: request.protocol,
    host: request.host,
    port: String(request.port),
    path: request.path.replace(/^\//, ''),
    query: request.query,
  };
  const fill = (template: string) =>
    template.replace(/#\{(protocol|host|port|path|query)\}/g, (_, name: string) => values[name] ?? '');
  const protocol = fill(redirect.protocol).toLowerCase();
  const query = fill(redirect.query);
  return `${protocol}://${fill(redirect.host)}:${fill(redirect.port)}${fill(redirect.path)}${query === '' ? '' : `?${query}`}`;
}
