"""
The Python half of test/services/s3/select-boto3.test.ts: S3 Select (select_object_content)
with a real boto3 client against the runtime. Each scenario reads the whole event stream as
boto3 decodes it and reports the records (joined), the Stats details and whether End came;
a botocore ClientError (an HTTP error or an error event) is reported as {"error": {code,
message}}. Nothing is asserted here; the TypeScript test asserts on what is printed.

    python3 boto3_s3_select.py ENDPOINT SCENARIO...

prints one JSON object: {scenario: result}.
"""
import bz2
import gzip
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

BUCKET = 'boto-select'
PEOPLE = 'name,age,city\nAlice,34,Paris\nBob,27,"New York, NY"\nCarol,44,Berlin\nDave,,Rome\n'
LINES = '\n'.join([
    '{"user":{"name":"ann","age":31},"tags":["a","b"]}',
    '{"user":{"name":"ben","age":25},"tags":["c"]}',
    '{"user":{"name":"cid","age":40},"tags":[]}',
])
DOCUMENT = json.dumps({'items': [{'id': 1, 'v': 'x'}, {'id': 2, 'v': 'y'}, {'id': 3, 'v': 'z'}]})

CSV_USE = {'CSV': {'FileHeaderInfo': 'USE'}}


def client(endpoint):
    return boto3.client(
        's3',
        endpoint_url=endpoint,
        region_name='us-east-1',
        aws_access_key_id='test',
        aws_secret_access_key='test',
        config=Config(s3={'addressing_style': 'path'}, retries={'total_max_attempts': 1}),
    )


def run(s3, key, sql, input_serialization, output_serialization=None, **extra):
    try:
        r = s3.select_object_content(
            Bucket=BUCKET, Key=key, Expression=sql, ExpressionType='SQL',
            InputSerialization=input_serialization, OutputSerialization=output_serialization or {'CSV': {}}, **extra,
        )
        out = {'records': '', 'stats': None, 'end': False}
        for event in r['Payload']:
            if 'Records' in event:
                out['records'] += event['Records']['Payload'].decode('utf-8')
            elif 'Stats' in event:
                out['stats'] = event['Stats']['Details']
            elif 'End' in event:
                out['end'] = True
        return out
    except (ClientError, EventStreamError) as e:
        err = e.response.get('Error', {})
        return {'error': {'code': err.get('Code'), 'message': err.get('Message'),
                          'status': e.response.get('ResponseMetadata', {}).get('HTTPStatusCode')}}


def setup(s3):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key='people.csv', Body=PEOPLE.encode())
    s3.put_object(Bucket=BUCKET, Key='people.csv.gz', Body=gzip.compress(PEOPLE.encode()))
    s3.put_object(Bucket=BUCKET, Key='events.jsonl.bz2', Body=bz2.compress(LINES.encode()))
    s3.put_object(Bucket=BUCKET, Key='events.jsonl', Body=LINES.encode())
    s3.put_object(Bucket=BUCKET, Key='doc.json', Body=DOCUMENT.encode())
    return {'sizes': {'people.csv.gz': len(gzip.compress(PEOPLE.encode())), 'people.csv': len(PEOPLE.encode()),
                      'events.jsonl.bz2': len(bz2.compress(LINES.encode())), 'events.jsonl': len(LINES.encode())}}


SCENARIOS = {
    'setup': setup,
    'csv_headers': lambda s3: run(s3, 'people.csv', "SELECT s.name, s.city FROM S3Object s WHERE s.city LIKE '%e%'", CSV_USE),
    'csv_json_output': lambda s3: run(s3, 'people.csv', 'SELECT name, age FROM S3Object LIMIT 2', CSV_USE, {'JSON': {}}),
    'cast': lambda s3: run(s3, 'people.csv', "SELECT name FROM S3Object WHERE age <> '' AND CAST(age AS INT) BETWEEN 30 AND 40", CSV_USE),
    'aggregates': lambda s3: run(s3, 'people.csv', "SELECT COUNT(*), SUM(CAST(age AS INT)), AVG(CAST(age AS INT)), MIN(CAST(age AS INT)), MAX(CAST(age AS INT)) FROM S3Object WHERE age <> ''", CSV_USE),
    'gzip': lambda s3: run(s3, 'people.csv.gz', 'SELECT _1 FROM S3Object LIMIT 1', {'CSV': {'FileHeaderInfo': 'IGNORE'}, 'CompressionType': 'GZIP'}),
    'json_lines': lambda s3: run(s3, 'events.jsonl', 'SELECT s.user.name, s.tags[0] FROM S3Object s WHERE s.user.age > 30', {'JSON': {'Type': 'LINES'}}, {'JSON': {}}),
    'bzip2': lambda s3: run(s3, 'events.jsonl.bz2', 'SELECT COUNT(*) AS n FROM S3Object s', {'JSON': {'Type': 'LINES'}, 'CompressionType': 'BZIP2'}, {'JSON': {}}),
    'json_document': lambda s3: run(s3, 'doc.json', "SELECT s.id FROM S3Object[*].items[*] s WHERE s.v IN ('x', 'z')", {'JSON': {'Type': 'DOCUMENT'}}),
    'scan_range': lambda s3: run(s3, 'people.csv', 'SELECT name FROM S3Object', CSV_USE, ScanRange={'Start': 20, 'End': 40}),
    'multiline': lambda s3: run(s3, 'people.csv', "SELECT name\n  FROM S3Object\r\n  WHERE city = 'Rome'", CSV_USE,
                                {'CSV': {'RecordDelimiter': '|', 'QuoteFields': 'ALWAYS'}}),
    'bad_sql': lambda s3: run(s3, 'people.csv', 'SELECT name, FROM S3Object', CSV_USE),
    'missing_headers': lambda s3: run(s3, 'people.csv', 'SELECT s.salary FROM S3Object s', CSV_USE),
    'cast_failed': lambda s3: run(s3, 'people.csv', 'SELECT CAST(city AS INT) FROM S3Object', CSV_USE),
}


def main():
    endpoint, names = sys.argv[1], sys.argv[2:]
    s3 = client(endpoint)
    print(json.dumps({name: SCENARIOS[name](s3) for name in names}))


if __name__ == '__main__':
    main()
