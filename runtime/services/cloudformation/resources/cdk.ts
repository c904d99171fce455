/**
 * AWS::CDK::Metadata: the CDK's record of the constructs a stack uses (AWS keeps it for its
 * statistics); nothing to create, only a physical id to report.
 */
import { uuid } from '../../../aws/ids.js';
import type { ResourceType } from './resource-type.js';

export const metadata: ResourceType = {
  type: 'AWS::CDK::Metadata',
  async create() {
    return { physicalId: uuid(), attributes: {} };
  },
  async update(_ctx, current) {
    return current;
  },
  async delete() {},
};

export const resourceTypes = [metadata];
