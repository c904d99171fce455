/**
 * SMS settings through @aws-sdk/client-sns against a runtime process: SMS attributes stored and
 * read back (all, or those asked for), AWS's errors for unknown names and bad values, the
 * opt-out list; Publish to a phone number; the runtime serving after each refusal.
 */
import {
  CheckIfPhoneNumberIsOptedOutCommand, GetSMSAttributesCommand, ListPhoneNumbersOptedOutCommand, OptInPhoneNumberCommand, PublishCommand, SetSMSAttributesCommand, SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let sns: SNSClient;
beforeAll(async () => {
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('SMS', () => {
  it('stores SMS attributes and refuses bad ones', async () => {
    expect((await sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: '1' });
    await sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'Shop1', MonthlySpendLimit: '10' } }));
    expect((await sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: '10', DefaultSMSType: 'Transactional', DefaultSenderID: 'Shop1' });
    expect((await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType', 'UsageReportS3Bucket'] }))).attributes).toEqual({ DefaultSMSType: 'Transactional' });
    expect(await sdkError(sns.send(new SetSMSAttributesCommand({ attributes: { Color: 'x' } })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Color is not a valid attribute' });
    expect(await sdkError(sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })))).toMatchObject({ name: 'InvalidParameterException', message: 'DefaultSMSType is invalid' });
    expect((await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes).toEqual({ DefaultSMSType: 'Transactional' });
  });

  it('opt-outs: none listed, numbers checked, opt-in accepted; Publish to a phone number', async () => {
    expect((await sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual([]);
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15551234567' }))).isOptedOut).toBe(false);
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: '+15551234567' }));
    expect(await sdkError(sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: 'abc' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted' });
    expect((await sns.send(new PublishCommand({ PhoneNumber: '+15551234567', Message: 'code 1234' }))).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sdkError(sns.send(new PublishCommand({ PhoneNumber: '12ab', Message: 'x' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: PhoneNumber Reason: 12ab is not valid to publish to' });
  });
});
