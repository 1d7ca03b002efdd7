/**
 * ELBv2 quotas drydock enforces, with AWS's default values (`UG:alb/load-balancer-limits`,
 * `UG:nlb/load-balancer-limits`, C.4) and the names DescribeAccountLimits reports them under.
 * One table, so a quota is one number to change.
 */

export const LIMITS = {
  applicationLoadBalancers: 50,
  networkLoadBalancers: 50,
  listenersPerLoadBalancer: 50,
  /** Excluding the default rule. */
  rulesPerApplicationLoadBalancer: 100,
  targetGroups: 3000,
  targetsPerTargetGroup: 1000,
  targetGroupsPerAction: 5,
  conditionValuesPerRule: 5,
  conditionWildcardsPerRule: 5,
  tagsPerResource: 50,
} as const;

/** DescribeAccountLimits: AWS's limit names with their defaults (values are strings on the wire). */
export const ACCOUNT_LIMITS: ReadonlyArray<{ Name: string; Max: string }> = [
  { Name: 'application-load-balancers', Max: String(LIMITS.applicationLoadBalancers) },
  { Name: 'condition-values-per-alb-rule', Max: String(LIMITS.conditionValuesPerRule) },
  { Name: 'condition-wildcards-per-alb-rule', Max: String(LIMITS.conditionWildcardsPerRule) },
  { Name: 'listeners-per-application-load-balancer', Max: String(LIMITS.listenersPerLoadBalancer) },
  { Name: 'listeners-per-network-load-balancer', Max: String(LIMITS.listenersPerLoadBalancer) },
  { Name: 'network-load-balancers', Max: String(LIMITS.networkLoadBalancers) },
  { Name: 'rules-per-application-load-balancer', Max: String(LIMITS.rulesPerApplicationLoadBalancer) },
  { Name: 'target-groups', Max: String(LIMITS.targetGroups) },
  { Name: 'target-groups-per-action-on-application-load-balancer', Max: String(LIMITS.targetGroupsPerAction) },
  { Name: 'target-groups-per-action-on-network-load-balancer', Max: '1' },
  { Name: 'targets-per-application-load-balancer', Max: String(LIMITS.targetsPerTargetGroup) },
  { Name: 'targets-per-availability-zone-per-network-load-balancer', Max: '500' },
  { Name: 'targets-per-network-load-balancer', Max: '3000' },
];
