/**
 * A function's resource-based policy, as AddPermission builds it: one statement per `StatementId`,
 * granting a principal (a service such as `sns.amazonaws.com`, an account, or `*`) an action on
 * the function or on one version or alias, with the conditions AWS derives from SourceArn,
 * SourceAccount, EventSourceToken, PrincipalOrgID and FunctionUrlAuthType. drydock records and
 * returns policies but does not enforce them on invocation.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  accountId: string;
  region: string;
  functionName: string;
  /** '' for the function itself, else a version number or alias name. */
  qualifier: string;
  statements: PolicyStatement[];
  revisionId: string;
}

export interface AddPermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
}

/** The statement AddPermission adds (and returns as JSON text in `Statement`). */
export function buildStatement(input: AddPermissionInput, resourceArn: string): PolicyStatement {
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined) => {
    if (value === undefined) return;
    condition[operator] = { ...condition[operator], [key]: value };
  };
  add('StringEquals', 'AWS:SourceAccount', input.SourceAccount);
  add('StringEquals', 'lambda:EventSourceToken', input.EventSourceToken);
  add('StringEquals', 'aws:PrincipalOrgID', input.PrincipalOrgID);
  add('StringEquals', 'lambda:FunctionUrlAuthType', input.FunctionUrlAuthType);
  add('ArnLike', 'AWS:SourceArn', input.SourceArn);
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principalOf(input.Principal),
    Action: input.Action,
    Resource: resourceArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** `sns.amazonaws.com` → {Service}, `123456789012` → {AWS: root ARN}, an ARN → {AWS}, `*` stays `*`. */
function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}
