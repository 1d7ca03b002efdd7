/**
 * EC2's operation table: every implemented operation, each answering `DryRunOperation` when
 * called with DryRun=true (EC2's "would have succeeded" answer; drydock has no permissions to
 * check). Operations not listed answer `NotImplemented` from the gateway.
 */
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import type { Ec2Context } from './context.js';
import { dryRunOperation } from './errors.js';
import { instanceAttributeOperations } from './operations-instance-attributes.js';
import { instanceTypeOperations } from './operations-instance-types.js';
import { instanceOperations } from './operations-instances.js';
import { launchTemplateOperations } from './operations-launch-templates.js';
import { networkOperations } from './operations-network.js';
import { tagOperations } from './operations-tags.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = OperationHandler<any, unknown>;

function withDryRun(handler: AnyHandler): AnyHandler {
  return (input: { DryRun?: boolean }, request) => {
    if (input.DryRun === true) throw dryRunOperation();
    return handler(input, request);
  };
}

export function ec2Operations(ctx: Ec2Context): OperationTable {
  const handlers: Record<string, AnyHandler> = {
    ...networkOperations(ctx),
    ...launchTemplateOperations(ctx),
    ...instanceOperations(ctx),
    ...instanceAttributeOperations(ctx),
    ...tagOperations(ctx),
    ...instanceTypeOperations(),
  };
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, withDryRun(handler)]));
}
