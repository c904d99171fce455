/**
 * SMS settings: Set/GetSMSAttributes (the account's defaults, checked as AWS checks them) and
 * the opt-out list (CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut, OptInPhoneNumber).
 * Nothing is texted; numbers opt out only through the state (LocalStack's developer endpoint
 * for it is not served yet).
 */
import { paginate } from '../../aws/pagination.js';
import type { SnsApi } from './api.generated.js';
import { snsError } from './errors.js';
import type { SnsStateAccess } from './state.js';

const ATTRIBUTES = new Set(['DeliveryStatusIAMRole', 'DeliveryStatusSuccessSamplingRate', 'DefaultSenderID', 'DefaultSMSType', 'MonthlySpendLimit', 'UsageReportS3Bucket']);
const E164 = /^\+?[1-9]\d{1,14}$/;

export function smsOperations(state: SnsStateAccess) {
  function checkNumber(phone: string): void {
    if (!E164.test(phone)) throw snsError('InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
  }
  return {
    SetSMSAttributes(ctx, input) {
      for (const name of Object.keys(input.attributes)) if (!ATTRIBUTES.has(name)) throw snsError('InvalidParameterException', `${name} is not a valid attribute`);
      const { DefaultSenderID: sender, DefaultSMSType: type } = input.attributes;
      if (sender !== undefined && !/^(?=.*[a-zA-Z])[a-zA-Z0-9]{1,11}$/.test(sender)) throw snsError('InvalidParameterException', 'DefaultSendID is not a valid attribute');
      if (type !== undefined && type !== 'Promotional' && type !== 'Transactional') throw snsError('InvalidParameterException', 'DefaultSMSType is invalid');
      const stored = state.of(ctx).smsAttributes;
      for (const [name, value] of Object.entries(input.attributes)) {
        stored[name] = value;
        state.platformChanged(ctx, 'smsAttributes', name);
      }
      return {};
    },
    GetSMSAttributes(ctx, input) {
      const stored = { MonthlySpendLimit: '1', ...state.of(ctx).smsAttributes };
      const wanted = input.attributes && input.attributes.length > 0 ? input.attributes : Object.keys(stored);
      return { attributes: Object.fromEntries(wanted.filter((n) => n in stored).map((n) => [n, stored[n as keyof typeof stored]!])) };
    },
    CheckIfPhoneNumberIsOptedOut(ctx, input) {
      checkNumber(input.phoneNumber);
      return { isOptedOut: state.of(ctx).optedOut[input.phoneNumber] === true };
    },
    ListPhoneNumbersOptedOut(ctx, input) {
      const numbers = Object.keys(state.of(ctx).optedOut).sort();
      const { page, nextToken } = paginate(numbers, { scope: 'sns:ListPhoneNumbersOptedOut', key: (n) => n, nextToken: input.nextToken, max: 100, invalidToken: () => snsError('InvalidParameterException', 'Invalid parameter: nextToken') });
      return { phoneNumbers: page, nextToken };
    },
    OptInPhoneNumber(ctx, input) {
      checkNumber(input.phoneNumber);
      const opted = state.of(ctx).optedOut;
      if (opted[input.phoneNumber]) {
        delete opted[input.phoneNumber];
        state.platformChanged(ctx, 'optedOut', input.phoneNumber);
      }
      return {};
    },
  } satisfies Partial<SnsApi>;
}
