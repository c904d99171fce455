"""
The Python half of test/services/ssm/ops-boto3.test.ts: drives SSM's operations resources with
a real boto3 client against the runtime and prints what it saw as one JSON object on stdout;
the TypeScript test asserts on it.

    python3 ops_boto3.py ENDPOINT

A plain boto3 client: retries off, fixed credentials, region us-east-1.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main(endpoint):
    ssm = boto3.client(
        'ssm',
        endpoint_url=endpoint,
        region_name='us-east-1',
        aws_access_key_id='test',
        aws_secret_access_key='test',
        config=Config(retries={'total_max_attempts': 1}),
    )
    out = {}
    content = json.dumps({
        'schemaVersion': '2.2',
        'description': 'boto3 document',
        'parameters': {'Name': {'type': 'String', 'default': 'world'}},
        'mainSteps': [{'action': 'aws:runShellScript', 'name': 'hello', 'inputs': {'runCommand': ['echo hello {{ Name }}']}}],
    })
    created = ssm.create_document(Name='boto3-doc', Content=content, DocumentType='Command', Tags=[{'Key': 'by', 'Value': 'boto3'}])
    out['created'] = {k: created['DocumentDescription'][k] for k in ('Name', 'Status', 'DocumentVersion', 'Hash', 'HashType', 'PlatformTypes')}
    out['created_date_type'] = type(created['DocumentDescription']['CreatedDate']).__name__

    command = ssm.send_command(DocumentName='boto3-doc', InstanceIds=['i-0123456789abcdef0'], Parameters={'Name': ['boto3']})['Command']
    ssm.get_waiter('command_executed').wait(CommandId=command['CommandId'], InstanceId='i-0123456789abcdef0', WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
    invocation = ssm.get_command_invocation(CommandId=command['CommandId'], InstanceId='i-0123456789abcdef0')
    out['invocation'] = {k: invocation[k] for k in ('Status', 'PluginName', 'ResponseCode', 'DocumentName')}

    names = []
    for page in ssm.get_paginator('list_documents').paginate(Filters=[{'Key': 'Owner', 'Values': ['Self']}], PaginationConfig={'PageSize': 1}):
        names += [d['Name'] for d in page['DocumentIdentifiers']]
    out['self_documents'] = names

    window = ssm.create_maintenance_window(Name='boto3-window', Schedule='rate(1 day)', Duration=2, Cutoff=1, AllowUnassociatedTargets=True)
    out['window'] = ssm.get_maintenance_window(WindowId=window['WindowId'])['Name']
    out['default_baseline'] = ssm.get_default_patch_baseline(OperatingSystem='AMAZON_LINUX_2')['BaselineId']

    try:
        ssm.describe_document(Name='boto3-missing')
    except ClientError as e:
        out['error'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
