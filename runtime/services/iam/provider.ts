/**
 * AWS Identity and Access Management (`iam`, query): global per account, as AWS runs it (one
 * state per account, shared by every region; ARNs without a region).
 *
 * The operations are grouped by concern, one file each, every one built over the same `Iam`
 * (common.ts: the store, the AWS managed policy catalog, the clock):
 *   users.ts, groups.ts, roles.ts (+ service-linked roles), policies.ts (managed policies and
 *   versions), inline-policies.ts, attachments.ts (+ ListEntitiesForPolicy), instance-profiles.ts,
 *   access-keys.ts, login-profiles.ts (+ ChangePassword), mfa.ts, user-credentials.ts (SSH
 *   keys, signing certificates, service-specific credentials), providers.ts (OIDC, SAML),
 *   certificates.ts, account.ts (alias, password policy, STS preferences, summary,
 *   GetAccountAuthorizationDetails), credential-report.ts, tags.ts.
 * principals.ts gathers a user's, group's or role's policies for the policy simulator
 * (simulate.ts: SimulateCustomPolicy, SimulatePrincipalPolicy and GetContextKeysFor*Policy over
 * runtime/aws/policy-evaluation/), service-access.ts
 * ListPoliciesGrantingServiceAccess; tagged-resources.ts lets the Resource Groups Tagging API
 * tag users and roles, as AWS's does.
 * Policy documents are validated by runtime/aws/policies.ts (MalformedPolicyDocument with
 * AWS's messages); AWS managed policies come from aws-managed-policies.generated.json
 * (scripts/generate-aws-managed-policies.mjs).
 *
 * LIMITATIONS: policies are stored, not enforced (no request is denied: the evaluation engine
 * answers the policy simulator only); AWS managed
 * policies are a selection (the generator's list) at their current version only (no version
 * history) and without descriptions; RoleLastUsed and access keys' last use are never
 * updated (nothing records a role assumed or a key used), and an inactive key still signs
 * requests; a virtual MFA device has no QR code (QRCodePNG) and authentication codes are not
 * checked against its seed; passwords are checked against the password policy, not kept
 * (ChangePassword does not check the old one); the credential report is built at once;
 * the organizations operations answer as for an account in no organization (there are none);
 * access advisor (service-last-accessed) reports, workload identity,
 * role templates and delegation requests answer 501 (docs/coverage/iam.md lists them).
 */
import type { Provider, ProviderContext } from '../provider.js';
import { declareState } from './state.js';
import { nowSeconds, type Iam } from './common.js';
import { awsManagedCatalog } from './aws-managed.js';
import { userOperations } from './users.js';
import { groupOperations } from './groups.js';
import { roleOperations } from './roles.js';
import { policyOperations } from './policies.js';
import { inlinePolicyOperations } from './inline-policies.js';
import { attachmentOperations } from './attachments.js';
import { instanceProfileOperations } from './instance-profiles.js';
import { accessKeyOperations } from './access-keys.js';
import { loginProfileOperations } from './login-profiles.js';
import { mfaOperations } from './mfa.js';
import { providerOperations } from './providers.js';
import { certificateOperations } from './certificates.js';
import { accountOperations } from './account.js';
import { tagOperations } from './tags.js';
import { userCredentialOperations } from './user-credentials.js';
import { credentialReportOperations } from './credential-report.js';
import { serviceAccessOperations } from './service-access.js';
import { iamTaggedResources } from './tagged-resources.js';
import { organizationOperations } from './organizations.js';
import { simulateOperations } from './simulate.js';

/** IAM's provider: every operation of the files above in one table. */
export function createProvider(context: ProviderContext): Provider {
  const iam: Iam = { store: declareState(context), aws: awsManagedCatalog(), now: () => nowSeconds(context.clock.now()) };
  const operations = {
    ...userOperations(iam),
    ...groupOperations(iam),
    ...roleOperations(iam),
    ...policyOperations(iam),
    ...inlinePolicyOperations(iam),
    ...attachmentOperations(iam),
    ...instanceProfileOperations(iam),
    ...accessKeyOperations(iam),
    ...loginProfileOperations(iam),
    ...mfaOperations(iam),
    ...providerOperations(iam),
    ...certificateOperations(iam),
    ...accountOperations(iam),
    ...tagOperations(iam),
    ...userCredentialOperations(iam),
    ...credentialReportOperations(iam),
    ...serviceAccessOperations(iam),
    ...organizationOperations(),
    ...simulateOperations(iam),
  };
  return { operations, taggedResources: iamTaggedResources(iam) };
}
