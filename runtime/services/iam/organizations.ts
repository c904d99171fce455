/**
 * IAM's operations about AWS Organizations. This emulator has no organizations: every
 * account stands alone, so each answers as AWS answers a standalone account,
 * OrganizationNotFoundException with the model's wording.
 */
import type { IamApi } from './api.generated.js';
import { iamError } from './errors.js';

function noOrganization(): Error {
  return iamError('OrganizationNotFoundException', 'The request was rejected because no organization is associated with your account.');
}

/** ListOrganizationsFeatures and the root credentials / root sessions switches. */
export function organizationOperations() {
  return {
    ListOrganizationsFeatures() {
      throw noOrganization();
    },
    EnableOrganizationsRootCredentialsManagement() {
      throw noOrganization();
    },
    DisableOrganizationsRootCredentialsManagement() {
      throw noOrganization();
    },
    EnableOrganizationsRootSessions() {
      throw noOrganization();
    },
    DisableOrganizationsRootSessions() {
      throw noOrganization();
    },
    GenerateOrganizationsAccessReport() {
      throw noOrganization();
    },
  } satisfies Partial<IamApi>;
}
