"""
The Python half of test/services/s3/boto3.test.ts: runs one scenario with a real boto3 client
against the runtime and prints what it saw as one JSON object on stdout; the TypeScript test
asserts on it. Nothing is asserted here, so that a failure shows up in the test with the facts.

    python3 boto3_s3.py ENDPOINT SCENARIO WORKDIR

The client is a plain boto3 client: path-style addressing, retries off, fixed credentials,
region us-east-1. A botocore ClientError ends the scenario with
{"error": {"code", "status", "message", "operation"}}.
"""
import concurrent.futures
import hashlib
import json
import os
import sys
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

MiB = 1024 * 1024


def client(endpoint, pool=10):
    return boto3.client(
        's3',
        endpoint_url=endpoint,
        region_name='us-east-1',
        aws_access_key_id='test',
        aws_secret_access_key='test',
        config=Config(s3={'addressing_style': 'path'}, retries={'total_max_attempts': 1}, max_pool_connections=pool),
    )


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(MiB), b''):
            h.update(chunk)
    return h.hexdigest()


def put_get(s3, work):
    s3.create_bucket(Bucket='boto-basic')
    put = s3.put_object(Bucket='boto-basic', Key='docs/hello.txt', Body=b'hello boto3', ContentType='text/plain',
                        Metadata={'owner': 'alice', 'Mixed-Case': 'Value 1'})
    got = s3.get_object(Bucket='boto-basic', Key='docs/hello.txt')
    return {
        'putETag': put['ETag'],
        'body': got['Body'].read().decode(),
        'contentType': got['ContentType'],
        'contentLength': got['ContentLength'],
        'metadata': got['Metadata'],
        'eTag': got['ETag'],
        'buckets': [b['Name'] for b in s3.list_buckets()['Buckets']],
    }


def transfer(s3, work):
    s3.create_bucket(Bucket='boto-transfer')
    src = os.path.join(work, 'transfer.bin')
    with open(src, 'wb') as f:
        for i in range(12):
            f.write(os.urandom(MiB))
        f.write(os.urandom(4321))
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_concurrency=4)
    s3.upload_file(src, 'boto-transfer', 'big/transfer.bin', Config=config)
    head = s3.head_object(Bucket='boto-transfer', Key='big/transfer.bin')
    dst = os.path.join(work, 'transfer.back')
    s3.download_file('boto-transfer', 'big/transfer.bin', dst, Config=config)
    return {
        'size': os.path.getsize(src),
        'sourceSha256': file_sha256(src),
        'downloadedSha256': file_sha256(dst),
        'downloadedSize': os.path.getsize(dst),
        'eTag': head['ETag'],
        'contentLength': head['ContentLength'],
    }


def paginate(s3, work):
    s3.create_bucket(Bucket='boto-pages')
    keys = ['k/%03d' % i for i in range(25)] + ['other/x']
    for k in keys:
        s3.put_object(Bucket='boto-pages', Key=k, Body=k.encode())
    pages = []
    for page in s3.get_paginator('list_objects_v2').paginate(Bucket='boto-pages', Prefix='k/', PaginationConfig={'PageSize': 10}):
        pages.append({'keys': [o['Key'] for o in page.get('Contents', [])], 'keyCount': page['KeyCount'],
                      'isTruncated': page['IsTruncated'], 'sizes': [o['Size'] for o in page.get('Contents', [])]})
    return {'pages': pages}


def copy(s3, work):
    s3.create_bucket(Bucket='boto-copy')
    s3.put_object(Bucket='boto-copy', Key='src.txt', Body=b'copy me', Metadata={'a': '1'}, ContentType='text/plain')
    kept = s3.copy_object(Bucket='boto-copy', Key='kept.txt', CopySource={'Bucket': 'boto-copy', 'Key': 'src.txt'})
    replaced = s3.copy_object(Bucket='boto-copy', Key='replaced.txt', CopySource='boto-copy/src.txt',
                              MetadataDirective='REPLACE', Metadata={'b': '2'}, ContentType='application/x-test')
    k = s3.get_object(Bucket='boto-copy', Key='kept.txt')
    r = s3.get_object(Bucket='boto-copy', Key='replaced.txt')
    return {
        'keptETag': kept['CopyObjectResult']['ETag'],
        'replacedETag': replaced['CopyObjectResult']['ETag'],
        'kept': {'body': k['Body'].read().decode(), 'metadata': k['Metadata'], 'contentType': k['ContentType'], 'eTag': k['ETag']},
        'replaced': {'body': r['Body'].read().decode(), 'metadata': r['Metadata'], 'contentType': r['ContentType']},
    }


def delete_objects(s3, work):
    s3.create_bucket(Bucket='boto-delete')
    for k in ['a', 'b', 'c', 'keep']:
        s3.put_object(Bucket='boto-delete', Key=k, Body=k.encode())
    r = s3.delete_objects(Bucket='boto-delete', Delete={'Objects': [{'Key': 'a'}, {'Key': 'b'}, {'Key': 'c'}, {'Key': 'never-existed'}]})
    quiet = s3.delete_objects(Bucket='boto-delete', Delete={'Objects': [{'Key': 'a'}], 'Quiet': True})
    left = s3.list_objects_v2(Bucket='boto-delete')
    return {
        'deleted': sorted(d['Key'] for d in r.get('Deleted', [])),
        'errors': r.get('Errors', []),
        'quietDeleted': quiet.get('Deleted', []),
        'left': [o['Key'] for o in left.get('Contents', [])],
    }


def presign(s3, work):
    s3.create_bucket(Bucket='boto-presign')
    body = os.urandom(3000)
    s3.put_object(Bucket='boto-presign', Key='p/file.bin', Body=body)
    url = s3.generate_presigned_url('get_object', Params={'Bucket': 'boto-presign', 'Key': 'p/file.bin'}, ExpiresIn=300)
    with urllib.request.urlopen(url, timeout=30) as r:
        fetched = r.read()
        status = r.status
    return {'url': url, 'status': status, 'sameBytes': fetched == body, 'length': len(fetched)}


def head_missing(s3, work):
    s3.create_bucket(Bucket='boto-missing')
    try:
        s3.head_object(Bucket='boto-missing', Key='nope')
        return {'raised': False}
    except ClientError as e:
        return {'raised': True, 'class': type(e).__name__, 'code': e.response['Error']['Code'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}


def concurrent_writers(s3, work):
    """16 threads PUT distinct 256 KiB bodies to one key at once; then one GET."""
    s3.create_bucket(Bucket='boto-race')
    bodies = [os.urandom(256 * 1024) for _ in range(16)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        etags = list(pool.map(lambda b: s3.put_object(Bucket='boto-race', Key='contended', Body=b)['ETag'], bodies))
    got = s3.get_object(Bucket='boto-race', Key='contended')
    data = got['Body'].read()
    return {
        'sources': [sha256(b) for b in bodies],
        'putETags': etags,
        'sourceMd5s': ['"%s"' % hashlib.md5(b).hexdigest() for b in bodies],
        'got': sha256(data),
        'gotLength': len(data),
        'gotETag': got['ETag'],
    }


SCENARIOS = {f.__name__: f for f in [put_get, transfer, paginate, copy, delete_objects, presign, head_missing, concurrent_writers]}


def main():
    endpoint, scenario, work = sys.argv[1:4]
    s3 = client(endpoint, pool=16)
    try:
        out = SCENARIOS[scenario](s3, work)
    except ClientError as e:
        out = {'error': {'code': e.response['Error'].get('Code'), 'status': e.response['ResponseMetadata'].get('HTTPStatusCode'),
                         'message': e.response['Error'].get('Message'), 'operation': e.operation_name}}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
