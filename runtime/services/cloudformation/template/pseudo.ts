/**
 * Pseudo parameters: the values CloudFormation predefines for every stack (`AWS::Region`,
 * `AWS::StackName`, ...), read by Ref and by `${...}` in Fn::Sub. `AWS::NoValue` is among them
 * for validation, but it has no value: it removes the property or list element it stands in.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import type { PseudoParameters } from './index.js';

/** The pseudo parameters' names. */
export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** The value of a pseudo parameter other than AWS::NoValue; undefined when `name` is not one. */
export function pseudoValue(name: string, pseudo: PseudoParameters): PropertyValue | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::Partition':
      return pseudo.partition;
    case 'AWS::URLSuffix':
      return pseudo.urlSuffix;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::StackId':
      return pseudo.stackId;
    case 'AWS::NotificationARNs':
      return [...pseudo.notificationArns];
    default:
      return undefined;
  }
}
