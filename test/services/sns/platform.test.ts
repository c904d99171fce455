/**
 * Platform applications and endpoints through @aws-sdk/client-sns against a runtime process:
 * stored and listed as AWS reports them (credentials never returned), CreatePlatformEndpoint
 * idempotent per token, Publish to an endpoint (and refused when it is disabled), AWS's errors,
 * the runtime serving afterwards.
 */
import {
  CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, DeleteEndpointCommand, DeletePlatformApplicationCommand, GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand, ListEndpointsByPlatformApplicationCommand, ListPlatformApplicationsCommand, PublishCommand, SetEndpointAttributesCommand,
  SetPlatformApplicationAttributesCommand, SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let sns: SNSClient;
const APP = 'arn:aws:sns:us-east-1:000000000000:app/GCM/my-app';

beforeAll(async () => {
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('platform applications and endpoints', () => {
  it('stores applications without their credentials', async () => {
    const { PlatformApplicationArn } = await sns.send(new CreatePlatformApplicationCommand({ Name: 'my-app', Platform: 'GCM', Attributes: { PlatformCredential: 'secret' } }));
    expect(PlatformApplicationArn).toBe(APP);
    expect((await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn }))).Attributes).toEqual({ Enabled: 'true' });
    await sns.send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn, Attributes: { EventEndpointCreated: 'arn:aws:sns:us-east-1:000000000000:t' } }));
    expect((await sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications).toEqual([{ PlatformApplicationArn: APP, Attributes: { Enabled: 'true', EventEndpointCreated: 'arn:aws:sns:us-east-1:000000000000:t' } }]);
    expect(await sdkError(sns.send(new CreatePlatformApplicationCommand({ Name: 'x', Platform: 'PIGEON', Attributes: { PlatformCredential: 'k' } })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Platform Reason: PIGEON is not supported' });
    expect(await sdkError(sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: `${APP}-gone` })))).toMatchObject({ name: 'NotFoundException', status: 404, message: 'PlatformApplication does not exist' });
  });

  it('endpoints: idempotent per token, attributes, publish, disable, delete', async () => {
    const { EndpointArn } = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: APP, Token: 'device-1', CustomUserData: 'u' }));
    expect(EndpointArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:endpoint\/GCM\/my-app\/[0-9a-f-]{36}$/);
    expect((await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: APP, Token: 'device-1', CustomUserData: 'u' }))).EndpointArn).toBe(EndpointArn);
    expect(await sdkError(sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: APP, Token: 'device-1', CustomUserData: 'other' })))).toMatchObject({
      name: 'InvalidParameterException', message: `Invalid parameter: Token Reason: Endpoint ${EndpointArn} already exists with the same Token, but different attributes.`,
    });
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn }))).Attributes).toEqual({ Enabled: 'true', Token: 'device-1', CustomUserData: 'u' });
    expect((await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: APP }))).Endpoints).toEqual([{ EndpointArn, Attributes: { Enabled: 'true', Token: 'device-1', CustomUserData: 'u' } }]);
    expect((await sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'push' }))).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sdkError(sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Color: 'x' } })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Attributes Reason: Invalid attribute name: Color' });
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
    expect(await sdkError(sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'push' })))).toMatchObject({ name: 'EndpointDisabledException', status: 400, message: 'Endpoint is disabled' });
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    expect(await sdkError(sns.send(new GetEndpointAttributesCommand({ EndpointArn })))).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Endpoint does not exist' });
    expect(await sdkError(sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'push' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified' });
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: APP }));
    expect((await sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications).toEqual([]);
  });
});
