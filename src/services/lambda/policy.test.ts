import { expect, it } from 'vitest';
import { buildStatement, policyDocument } from './policy.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:f';

it('builds the statement AddPermission returns, with AWS’s principal forms and conditions', () => {
  expect(
    buildStatement(
      {
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:123456789012:rule/r',
        SourceAccount: '123456789012',
      },
      ARN,
    ),
  ).toEqual({
    Sid: 'events',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: ARN,
    Condition: {
      StringEquals: { 'AWS:SourceAccount': '123456789012' },
      ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/r' },
    },
  });
  expect(buildStatement({ StatementId: 'a', Action: 'lambda:*', Principal: '210987654321' }, ARN).Principal).toEqual({
    AWS: 'arn:aws:iam::210987654321:root',
  });
  expect(buildStatement({ StatementId: 'a', Action: 'lambda:*', Principal: '*' }, ARN)).not.toHaveProperty('Condition');
});

it('wraps statements in a policy document', () => {
  expect(JSON.parse(policyDocument([]))).toEqual({ Version: '2012-10-17', Id: 'default', Statement: [] });
});
