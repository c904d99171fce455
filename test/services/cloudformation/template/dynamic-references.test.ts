/**
 * Dynamic references: `{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}` and
 * `{{resolve:secretsmanager:...}}` in resource properties resolved while preparing, through
 * the resolvers, including references whose text Fn::Sub or Fn::Join assembles from
 * parameters; one that needs a resource stays as written.
 */
import { describe, expect, it } from 'vitest';
import { parseSecretReference, parseTemplate, prepareTemplate, resolveValue } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, PSEUDO, REFS, resolvers } from './support.js';

const SSM = { '/app/db-url': 'postgres://db', '/app/db-url:2': 'postgres://db-v2', '/app/dev/name': 'dev-name', secure: 's3cret', '/app/dollar': 'a${b}' };
const SECRETS = { 'MySecret:SecretString:password': 'pw', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString:::v1': 'by-version' };

async function propertiesOf(properties: string, given = resolvers(SSM, SECRETS)) {
  const body = `Parameters:\n  Env: {Type: String, Default: dev}\nResources:\n  Bucket: {Type: AWS::S3::Bucket}\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n${properties}`;
  const prepared = await prepareTemplate(parseTemplate(body), { parameters: {}, pseudo: PSEUDO, resolvers: given });
  return { planned: prepared.resources.get('R')!.properties, resolved: resolveValue(prepared.resources.get('R')!.properties, prepared, REFS), calls: given.calls };
}

describe('dynamic references', () => {
  it('ssm, ssm with a version, ssm-secure and secretsmanager in literal strings', async () => {
    const { planned, calls } = await propertiesOf(`      Url: "{{resolve:ssm:/app/db-url}}"
      Versioned: "jdbc:{{resolve:ssm:/app/db-url:2}}/x"
      Secure: "{{resolve:ssm-secure:secure}}"
      Password: "{{resolve:secretsmanager:MySecret:SecretString:password}}"
      ByArn: "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString:::v1}}"
      List: ["{{resolve:ssm:/app/db-url}}", plain]
`);
    expect(planned).toEqual({ Url: 'postgres://db', Versioned: 'jdbc:postgres://db-v2/x', Secure: 's3cret', Password: 'pw', ByArn: 'by-version', List: ['postgres://db', 'plain'] });
    expect(calls).toContain('ssm:/app/db-url:2');
  });

  it('references assembled by Fn::Sub or Fn::Join from parameters are resolved; literal pieces inside functions too', async () => {
    const { planned, resolved } = await propertiesOf(`      Sub: !Sub "{{resolve:ssm:/app/\${Env}/name}}"
      Join: !Join ["", ["{{resolve:ssm:/app/", !Ref Env, "/name}}"]]
      InSub: !Sub "\${Bucket}:{{resolve:ssm:/app/dollar}}"
      InJoin: !Join [":", [!Ref Bucket, "{{resolve:ssm:/app/db-url}}"]]
`);
    expect(planned.Sub).toBe('dev-name');
    expect(planned.Join).toBe('dev-name');
    // a resolved value's "\${" is kept as text by Fn::Sub
    expect(resolved).toEqual({ Sub: 'dev-name', Join: 'dev-name', InSub: 'Bucket-physical:a${b}', InJoin: 'Bucket-physical:postgres://db' });
  });

  it('a reference whose name needs a resource stays as written', async () => {
    const { resolved } = await propertiesOf('      P: !Sub "{{resolve:ssm:/app/${Bucket}}}"\n');
    expect(resolved).toEqual({ P: '{{resolve:ssm:/app/Bucket-physical}}' });
  });

  it('a missing SSM parameter, and secretsmanager without a Secrets Manager', async () => {
    expect(await failure(() => propertiesOf('      P: "{{resolve:ssm:/nope}}"\n'))).toEqual({
      code: 'ValidationError',
      message: 'Unable to fetch parameters [/nope] from parameter store for this account.',
    });
    expect((await failure(() => propertiesOf('      P: "{{resolve:secretsmanager:MySecret:SecretString:password}}"\n', resolvers(SSM))))?.code).toBe('ValidationError');
    expect(await failure(() => propertiesOf('      P: "{{resolve:secretsmanager:Other}}"\n'))).toEqual({ code: 'ValidationError', message: "Secrets Manager can't find the specified secret." });
  });

  it('parseSecretReference reads ids, ARNs, keys, stages and versions', () => {
    expect(parseSecretReference('MySecret')).toEqual({ secretId: 'MySecret', kind: 'SecretString' });
    expect(parseSecretReference('MySecret:SecretString:password:AWSPREVIOUS')).toEqual({ secretId: 'MySecret', kind: 'SecretString', jsonKey: 'password', versionStage: 'AWSPREVIOUS' });
    expect(parseSecretReference('arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString::AWSCURRENT:')).toEqual({
      secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
      kind: 'SecretString',
      versionStage: 'AWSCURRENT',
    });
  });
});
