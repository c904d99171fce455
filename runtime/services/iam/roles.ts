/**
 * IAM roles: trust policies (parsed with the trust grammar, runtime/aws/policies.ts), session
 * duration, description, permissions boundary, RoleLastUsed; and service-linked roles, which
 * AWS creates under `/aws-service-role/<service>/` with a name it derives from the service
 * (AWSServiceRoleFor...), protects from DeleteRole, and deletes through a deletion task.
 */
import { record } from '../../state/store.js';
import type { IamApi, Role } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { parsePolicy } from '../../aws/policies.js';
import { uuid } from '../../aws/ids.js';
import { addTags, checkTrustPolicySize, date, encodeDocument, find, iamArn, mustBeNew, newId, NOT_FOUND, page, pathOf, tagsOut, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredRole } from './state.js';
import { checkBoundary } from './users.js';

/** The role as the Role shape answers it (`detail`: GetRole's members, which ListRoles leaves out). */
export function roleOut(role: StoredRole, detail = true): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: date(role.created),
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: detail && role.boundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.boundary } : undefined,
    Tags: detail ? tagsOut(role.tags) : undefined,
    RoleLastUsed: detail ? (role.lastUsed ? { LastUsedDate: date(role.lastUsed.date), Region: role.lastUsed.region } : {}) : undefined,
  };
}

/** Whether a role is service-linked (only its service may change or delete it). */
export function isServiceLinked(role: StoredRole): boolean {
  return role.path.startsWith('/aws-service-role/');
}

function protectedRole(role: StoredRole): Error {
  return iamError('UnmodifiableEntityException', `Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`);
}

/**
 * The role name AWS gives a service's service-linked role: a table of the services whose
 * names do not follow from their principal, otherwise the principal's first label with its
 * first letter upper-cased (`lambda.amazonaws.com` → AWSServiceRoleForLambda).
 */
const SERVICE_ROLE_NAMES: Record<string, string> = {
  'autoscaling.amazonaws.com': 'AutoScaling',
  'ecs.amazonaws.com': 'ECS',
  'elasticloadbalancing.amazonaws.com': 'ElasticLoadBalancing',
  'rds.amazonaws.com': 'RDS',
  'ec2.amazonaws.com': 'EC2',
  'eks.amazonaws.com': 'AmazonEKS',
  'es.amazonaws.com': 'AmazonElasticsearchService',
  'opensearchservice.amazonaws.com': 'AmazonOpenSearchService',
  'elasticache.amazonaws.com': 'ElastiCache',
  'organizations.amazonaws.com': 'Organizations',
  'support.amazonaws.com': 'Support',
  'trustedadvisor.amazonaws.com': 'TrustedAdvisor',
  'cloudtrail.amazonaws.com': 'CloudTrail',
  'config.amazonaws.com': 'Config',
  'dynamodb.application-autoscaling.amazonaws.com': 'ApplicationAutoScaling_DynamoDBTable',
  'ecs.application-autoscaling.amazonaws.com': 'ApplicationAutoScaling_ECSService',
  'lambda.application-autoscaling.amazonaws.com': 'ApplicationAutoScaling_LambdaConcurrency',
  'spot.amazonaws.com': 'EC2Spot',
  'ssm.amazonaws.com': 'AmazonSSM',
  'apigateway.amazonaws.com': 'APIGateway',
  'replication.dynamodb.amazonaws.com': 'DynamoDBReplication',
  'elasticbeanstalk.amazonaws.com': 'ElasticBeanstalk',
};

function serviceLinkedName(service: string): string {
  const known = SERVICE_ROLE_NAMES[service];
  if (known) return `AWSServiceRoleFor${known}`;
  const label = service.split('.')[0]!;
  return `AWSServiceRoleFor${label.charAt(0).toUpperCase()}${label.slice(1)}`;
}

/** Finds a role by name, NoSuchEntity in AWS's words otherwise. */
export function findRole(state: IamState, name: string): StoredRole {
  return find(state.roles, name, NOT_FOUND.role);
}

/** The role, permissions boundary and service-linked role operations. */
export function roleOperations(iam: Iam) {
  const { store } = iam;

  function create(ctx: OperationContext, role: Omit<StoredRole, 'id' | 'arn' | 'created' | 'inlinePolicies' | 'attached'>): StoredRole {
    const state = store.of(ctx);
    mustBeNew(state.roles, role.name, `Role with name ${role.name} already exists.`);
    const stored: StoredRole = { ...role, id: newId('role'), arn: iamArn(ctx, 'role', role.path, role.name), created: iam.now(), inlinePolicies: record(), attached: [] };
    for (const k of ['description', 'boundary'] as const) if (stored[k] === undefined) delete stored[k];
    const key = keyOf(role.name);
    state.roles[key] = stored;
    store.changed(ctx, 'roles', key);
    return stored;
  }

  /** The conflicts that keep a role from being deleted, in the order AWS reports them. */
  function deleteConflict(state: IamState, role: StoredRole): Error | undefined {
    const key = keyOf(role.name);
    const conflict = (what: string) => iamError('DeleteConflictException', `Cannot delete entity, must ${what} first.`);
    if (Object.values(state.instanceProfiles).some((p) => p.roles.includes(key))) return conflict('remove roles from instance profile');
    if (Object.keys(role.inlinePolicies).length > 0) return conflict('delete policies');
    if (role.attached.length > 0) return conflict('detach all policies');
    return undefined;
  }

  return {
    CreateRole(ctx, input) {
      parsePolicy(input.AssumeRolePolicyDocument, 'trust');
      checkTrustPolicySize(input.AssumeRolePolicyDocument);
      const role = create(ctx, {
        name: input.RoleName,
        path: pathOf(input.Path),
        trustPolicy: input.AssumeRolePolicyDocument,
        description: input.Description,
        maxSessionDuration: input.MaxSessionDuration ?? 3600,
        boundary: checkBoundary(iam, ctx, input.PermissionsBoundary),
        tags: addTags({}, input.Tags),
      });
      // CreateRole answers without RoleLastUsed
      return { Role: { ...roleOut(role), RoleLastUsed: undefined } };
    },

    GetRole(ctx, input) {
      return { Role: roleOut(findRole(store.of(ctx), input.RoleName)) };
    },

    UpdateRole(ctx, input) {
      const role = findRole(store.of(ctx), input.RoleName);
      // a service-linked role's description is the user's to edit (IAM user guide, "Editing a service-linked role"); nothing else
      if (isServiceLinked(role) && input.MaxSessionDuration !== undefined) throw protectedRole(role);
      if (input.Description !== undefined) role.description = input.Description;
      if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
      store.changed(ctx, 'roles', keyOf(role.name));
      return {};
    },

    UpdateRoleDescription(ctx, input) {
      const role = findRole(store.of(ctx), input.RoleName);
      role.description = input.Description;
      store.changed(ctx, 'roles', keyOf(role.name));
      return { Role: roleOut(role) };
    },

    UpdateAssumeRolePolicy(ctx, input) {
      const role = findRole(store.of(ctx), input.RoleName);
      if (isServiceLinked(role)) throw protectedRole(role);
      parsePolicy(input.PolicyDocument, 'trust');
      checkTrustPolicySize(input.PolicyDocument);
      role.trustPolicy = input.PolicyDocument;
      store.changed(ctx, 'roles', keyOf(role.name));
      return {};
    },

    DeleteRole(ctx, input) {
      const state = store.of(ctx);
      const role = findRole(state, input.RoleName);
      if (isServiceLinked(role)) throw protectedRole(role);
      const conflict = deleteConflict(state, role);
      if (conflict) throw conflict;
      const key = keyOf(role.name);
      delete state.roles[key];
      store.changed(ctx, 'roles', key);
      return {};
    },

    ListRoles(ctx, input) {
      const state = store.of(ctx);
      const roles = Object.keys(state.roles)
        .map((k) => state.roles[k]!)
        .filter((r) => underPrefix(r.path, input.PathPrefix));
      const listing = page(roles, input, `ListRoles:${input.PathPrefix ?? ''}`, (r) => keyOf(r.name));
      return { Roles: listing.items.map((r) => roleOut(r, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    PutRolePermissionsBoundary(ctx, input) {
      const role = findRole(store.of(ctx), input.RoleName);
      if (isServiceLinked(role)) throw protectedRole(role);
      role.boundary = checkBoundary(iam, ctx, input.PermissionsBoundary);
      store.changed(ctx, 'roles', keyOf(role.name));
      return {};
    },

    DeleteRolePermissionsBoundary(ctx, input) {
      const role = findRole(store.of(ctx), input.RoleName);
      if (isServiceLinked(role)) throw protectedRole(role);
      delete role.boundary;
      store.changed(ctx, 'roles', keyOf(role.name));
      return {};
    },

    CreateServiceLinkedRole(ctx, input) {
      const service = input.AWSServiceName;
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(service)) {
        throw iamError('InvalidInputException', `Service name ${service} is not valid.`);
      }
      const name = serviceLinkedName(service) + (input.CustomSuffix ? `_${input.CustomSuffix}` : '');
      if (store.of(ctx).roles[keyOf(name)]) throw iamError('InvalidInputException', `Service role name ${name} has been taken in this account, please try a different suffix.`);
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] });
      const role = create(ctx, {
        name,
        path: `/aws-service-role/${service}/`,
        trustPolicy: trust,
        description: input.Description,
        maxSessionDuration: 3600,
        tags: {},
      });
      return { Role: { ...roleOut(role), RoleLastUsed: undefined } };
    },

    DeleteServiceLinkedRole(ctx, input) {
      const state = store.of(ctx);
      const role = findRole(state, input.RoleName);
      if (!isServiceLinked(role)) throw iamError('InvalidInputException', `Role ${role.name} is not a service-linked role.`);
      const taskId = `task${role.path}${role.name}/${uuid()}`;
      // AWS deletes asynchronously; nothing here uses the role, so the task has succeeded
      // by the time anyone asks (GetServiceLinkedRoleDeletionStatus)
      const key = keyOf(role.name);
      role.attached = [];
      role.inlinePolicies = {};
      for (const profileKey of Object.keys(state.instanceProfiles)) {
        const profile = state.instanceProfiles[profileKey]!;
        if (profile.roles.includes(key)) {
          profile.roles = profile.roles.filter((r) => r !== key);
          store.changed(ctx, 'instanceProfiles', profileKey);
        }
      }
      delete state.roles[key];
      store.changed(ctx, 'roles', key);
      state.deletionTasks[taskId] = { status: 'SUCCEEDED' };
      store.changed(ctx, 'deletionTasks', taskId);
      return { DeletionTaskId: taskId };
    },

    GetServiceLinkedRoleDeletionStatus(ctx, input) {
      const task = store.of(ctx).deletionTasks[input.DeletionTaskId];
      if (!task) throw iamError('NoSuchEntityException', `Deletion task ${input.DeletionTaskId} cannot be found.`);
      return { Status: task.status };
    },
  } satisfies Partial<IamApi>;
}
