/**
 * The accessor the policy simulator reads (runtime/services/iam/principals.ts), over state
 * built by IAM's own operations in process: a user's inline and attached policies and its
 * groups', a role's with its boundary and trust policy, AWS managed documents resolved, and
 * an ARN that names nothing (or the right name under another path) found as nothing.
 */
import { describe, expect, it } from 'vitest';
import { AccountStore } from '../../../runtime/state/store.js';
import type { OperationContext } from '../../../runtime/services/provider.js';
import { newState, type IamState } from '../../../runtime/services/iam/state.js';
import { awsManagedCatalog } from '../../../runtime/services/iam/aws-managed.js';
import type { Iam } from '../../../runtime/services/iam/common.js';
import { userOperations } from '../../../runtime/services/iam/users.js';
import { groupOperations } from '../../../runtime/services/iam/groups.js';
import { roleOperations } from '../../../runtime/services/iam/roles.js';
import { policyOperations } from '../../../runtime/services/iam/policies.js';
import { attachmentOperations } from '../../../runtime/services/iam/attachments.js';
import { inlinePolicyOperations } from '../../../runtime/services/iam/inline-policies.js';
import { principalPolicies } from '../../../runtime/services/iam/principals.js';

function setup() {
  const store = new AccountStore<IamState>('iam', 'iam', newState);
  const iam: Iam = { store: { store, of: (c) => store.get(c.accountId), changed: () => {}, changedAccount: () => {} }, aws: awsManagedCatalog(), now: () => 1_700_000_000_000 };
  const ctx = { accountId: '123456789012', region: 'us-east-1' } as OperationContext;
  const ops = { ...userOperations(iam), ...groupOperations(iam), ...roleOperations(iam), ...policyOperations(iam), ...attachmentOperations(iam), ...inlinePolicyOperations(iam) } as Record<string, (c: OperationContext, input: unknown) => unknown>;
  const call = (op: string, input: unknown) => ops[op]!(ctx, input);
  return { iam, ctx, call };
}

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe("a principal's policies", () => {
  it("a user: its own inline and managed policies, then its groups', and its boundary", () => {
    const { iam, ctx, call } = setup();
    call('CreateUser', { UserName: 'u', Path: '/p/' });
    call('CreateGroup', { GroupName: 'g' });
    call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    call('CreatePolicy', { PolicyName: 'm', PolicyDocument: doc('sqs:*') });
    call('PutUserPolicy', { UserName: 'u', PolicyName: 'i', PolicyDocument: doc('s3:*') });
    call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::123456789012:policy/m' });
    call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    call('PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: 'arn:aws:iam::123456789012:policy/m' });
    const found = principalPolicies(iam, ctx, 'arn:aws:iam::123456789012:user/p/u')!;
    expect(found.kind).toBe('user');
    expect(found.policies).toEqual([
      { type: 'inline', id: 'i', from: 'arn:aws:iam::123456789012:user/p/u', document: doc('s3:*') },
      { type: 'managed', id: 'arn:aws:iam::123456789012:policy/m', from: 'arn:aws:iam::123456789012:user/p/u', document: doc('sqs:*') },
      { type: 'managed', id: 'arn:aws:iam::aws:policy/AdministratorAccess', from: 'arn:aws:iam::123456789012:group/g', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' },
    ]);
    expect(found.boundary).toEqual({ arn: 'arn:aws:iam::123456789012:policy/m', document: doc('sqs:*') });
    // the ARN must be the entity's own: its path included, in the caller's account
    expect(principalPolicies(iam, ctx, 'arn:aws:iam::123456789012:user/u')).toBeUndefined();
    expect(principalPolicies(iam, ctx, 'arn:aws:iam::999999999999:user/p/u')).toBeUndefined();
  });

  it('a role: its policies, the default version of a managed one, its trust policy', () => {
    const { iam, ctx, call } = setup();
    call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    call('CreatePolicy', { PolicyName: 'm', PolicyDocument: doc('sqs:*') });
    call('CreatePolicyVersion', { PolicyArn: 'arn:aws:iam::123456789012:policy/m', PolicyDocument: doc('sns:*'), SetAsDefault: true });
    call('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::123456789012:policy/m' });
    const found = principalPolicies(iam, ctx, 'arn:aws:iam::123456789012:role/r')!;
    expect(found.policies.map((p) => p.document)).toEqual([doc('sns:*')]);
    expect(found.trustPolicy).toBe(TRUST);
    expect(found.boundary).toBeUndefined();
    expect(principalPolicies(iam, ctx, 'arn:aws:iam::123456789012:role/nobody')).toBeUndefined();
  });
});
