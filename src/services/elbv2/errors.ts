/**
 * ELBv2's errors, thrown by their model SHAPE names (`TargetGroupNotFoundException`); the awsQuery
 * codec sends the model's code (`TargetGroupNotFound`) and HTTP status. Messages are AWS's own
 * where public output shows them (`OBS:` in aws-semantics.md, quoted from real API answers in
 * issue threads); the others say plainly what is wrong and are marked UNCONFIRMED, so each is
 * one line to change.
 */
import { ServiceError } from '../../kernel/service-error.js';

const error = (shape: string, message: string) => new ServiceError(shape, message);

export const validationError = (message: string) => error('ValidationError', message);

// --- not found -------------------------------------------------------------------------------
/** OBS: "One or more load balancers not found". */
export const loadBalancerNotFound = () =>
  error('LoadBalancerNotFoundException', 'One or more load balancers not found');
/** OBS: "Load balancers '[foobar-terraform-elb]' not found" (DescribeLoadBalancers by name). */
export const loadBalancersNamedNotFound = (names: string[]) =>
  error('LoadBalancerNotFoundException', `Load balancers '[${names.join(', ')}]' not found`);
/** OBS: "One or more target groups not found". */
export const targetGroupNotFound = () => error('TargetGroupNotFoundException', 'One or more target groups not found');
/** OBS (CreateListener naming a missing group): "Target groups 'arn:…' not found". */
export const targetGroupsNamedNotFound = (arns: string[]) =>
  error('TargetGroupNotFoundException', `Target groups '${arns.join("', '")}' not found`);
/** OBS: "One or more listeners not found". */
export const listenerNotFound = () => error('ListenerNotFoundException', 'One or more listeners not found');
/** UNCONFIRMED wording (by analogy with the listener's). */
export const ruleNotFound = () => error('RuleNotFoundException', 'One or more rules not found');
/** UNCONFIRMED wording. */
export const subnetNotFound = (subnetId: string) =>
  error('SubnetNotFoundException', `The subnet ID '${subnetId}' does not exist`);

/** OBS: "'ec2-spot-converter' is not a valid target group ARN" (ValidationError). */
export const invalidArn = (value: string, what: string) => validationError(`'${value}' is not a valid ${what} ARN`);

// --- duplicates and conflicts ----------------------------------------------------------------
/** OBS: "A load balancer with the same name '…' exists, but with different settings". */
export const duplicateLoadBalancerName = (name: string) =>
  error(
    'DuplicateLoadBalancerNameException',
    `A load balancer with the same name '${name}' exists, but with different settings`,
  );
/** OBS: "A target group with the same name 'my-cool-tg' exists, but with different settings". */
export const duplicateTargetGroupName = (name: string) =>
  error(
    'DuplicateTargetGroupNameException',
    `A target group with the same name '${name}' exists, but with different settings`,
  );
/** OBS: "A listener already exists on this port for this load balancer 'arn:…'". */
export const duplicateListener = (loadBalancerArn: string) =>
  error(
    'DuplicateListenerException',
    `A listener already exists on this port for this load balancer '${loadBalancerArn}'`,
  );
/** OBS (ModifyListener to a taken port): "Listener port '7328' is already in use". */
export const listenerPortInUse = (port: number) => validationError(`Listener port '${port}' is already in use`);
/** OBS: "Priority '26' is currently in use". */
export const priorityInUse = (priority: number) =>
  error('PriorityInUseException', `Priority '${priority}' is currently in use`);
/** OBS: "Target group 'arn:…' is currently in use by a listener or a rule". */
export const targetGroupInUse = (targetGroupArn: string) =>
  error('ResourceInUseException', `Target group '${targetGroupArn}' is currently in use by a listener or a rule`);
/** OBS: "The following target groups cannot be associated with more than one load balancer: '…'". */
export const targetGroupAssociationLimit = (arns: string[]) =>
  error(
    'TargetGroupAssociationLimitException',
    `The following target groups cannot be associated with more than one load balancer: '${arns.join("', '")}'`,
  );
/** UNCONFIRMED wording. */
export const deletionProtected = (loadBalancerArn: string) =>
  error(
    'OperationNotPermittedException',
    `Load balancer '${loadBalancerArn}' cannot be deleted because deletion protection is enabled`,
  );
/** UNCONFIRMED wording: the default rule belongs to the listener (C.5). */
export const defaultRuleOperation = (what: string) =>
  error('OperationNotPermittedException', `The default rule of a listener cannot be ${what}`);

// --- targets ---------------------------------------------------------------------------------
/** OBS: "The following targets are not in a running state and cannot be registered: 'i-…', 'i-…'". */
export const targetsNotRunning = (ids: string[]) =>
  error(
    'InvalidTargetException',
    `The following targets are not in a running state and cannot be registered: '${ids.join("', '")}'`,
  );
/** UNCONFIRMED wording: an instance id EC2 does not know. */
export const targetsNotValidInstances = (ids: string[]) =>
  error('InvalidTargetException', `The following targets are not valid instances: '${ids.join("', '")}'`);
/** OBS: "Instance ID '10.19.173.98' is not valid" (ValidationError). */
export const invalidInstanceId = (id: string) => validationError(`Instance ID '${id}' is not valid`);
/** UNCONFIRMED wording. */
export const invalidIpAddress = (id: string) => validationError(`The IP address '${id}' is not a valid IPv4 address`);
/** UNCONFIRMED wording; drydock also accepts loopback (127.0.0.0/8), where its targets listen. */
export const ipNotAllowed = (id: string) =>
  error(
    'InvalidTargetException',
    `The IP address '${id}' is not within a private (RFC 1918), shared (RFC 6598) or loopback address range`,
  );
/** UNCONFIRMED wording: an IP target must finish deregistering before it registers again (C.4). */
export const ipTargetStillDraining = (ids: string[]) =>
  error(
    'InvalidTargetException',
    `The following targets are being deregistered and cannot be registered until deregistration completes: '${ids.join("', '")}'`,
  );
/** UNCONFIRMED wording. */
export const tooManyTargets = (limit: number) =>
  error('TooManyTargetsException', `You have reached the limit of '${limit}' targets per target group`);

// --- quotas (UNCONFIRMED wording) -------------------------------------------------------------
export const tooManyLoadBalancers = (limit: number) =>
  error('TooManyLoadBalancersException', `You have reached the limit of '${limit}' load balancers`);
export const tooManyListeners = (limit: number) =>
  error('TooManyListenersException', `You have reached the limit of '${limit}' listeners per load balancer`);
export const tooManyRules = (limit: number) =>
  error('TooManyRulesException', `You have reached the limit of '${limit}' rules per load balancer`);
export const tooManyTargetGroups = (limit: number) =>
  error('TooManyTargetGroupsException', `You have reached the limit of '${limit}' target groups`);
export const tooManyTags = (limit: number) =>
  error('TooManyTagsException', `You have reached the limit of '${limit}' tags per resource`);
export const duplicateTagKeys = (key: string) =>
  error('DuplicateTagKeysException', `Tag key '${key}' is specified more than once`);
export const tooManyActions = (message: string) => error('TooManyActionsException', message);

// --- configuration ---------------------------------------------------------------------------
/** A listener, action or target group drydock cannot serve, in plain words (UNCONFIRMED wording). */
export const unsupportedProtocol = (message: string) => error('UnsupportedProtocolException', message);
export const incompatibleProtocols = (message: string) => error('IncompatibleProtocolsException', message);
export const invalidAction = (message: string) => error('InvalidLoadBalancerActionException', message);
export const invalidConfiguration = (message: string) => error('InvalidConfigurationRequestException', message);

/** A Marker this drydock did not hand out (UNCONFIRMED wording). */
export const invalidMarker = (marker: string) => validationError(`Invalid marker: ${marker}`);
