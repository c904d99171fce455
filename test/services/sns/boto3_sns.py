"""
The Python half of test/services/sns/boto3.test.ts: runs one scenario with real boto3 SNS and
SQS clients against the runtime and prints what they saw as one JSON object on stdout; the
TypeScript test asserts on it. Nothing is asserted here, so that a failure shows up in the test
with the facts.

    python3 boto3_sns.py ENDPOINT SCENARIO

Plain clients: retries off, fixed credentials, region us-east-1. A botocore ClientError ends
the scenario with {"error": {"code", "status", "message", "operation"}}; the scenarios that
expect errors catch them themselves and report each as {"code", "status", "message"}.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT = '000000000000'


def client(endpoint, service):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name='us-east-1',
        aws_access_key_id='test',
        aws_secret_access_key='test',
        config=Config(retries={'total_max_attempts': 1}),
    )


def queue(sqs, name, attributes=None):
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})['QueueUrl']
    return url, f'arn:aws:sqs:us-east-1:{ACCOUNT}:{name}'


def drain(sqs, url, wait=2):
    """Every message the queue gives until a long poll comes back empty, deleted as read."""
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait, MessageAttributeNames=['All'])
        messages = got.get('Messages', [])
        if not messages:
            return out
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
            out.append({'body': m['Body'], 'attributes': {k: v.get('StringValue') for k, v in m.get('MessageAttributes', {}).items()}})


def caught(call):
    try:
        call()
        return None
    except ClientError as e:
        return {'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'message': e.response['Error']['Message']}


def topics(sns, sqs):
    standard = sns.create_topic(Name='py-topic', Attributes={'DisplayName': 'Py'}, Tags=[{'Key': 'team', 'Value': 'a'}])['TopicArn']
    again = sns.create_topic(Name='py-topic', Attributes={'DisplayName': 'Py'})['TopicArn']
    fifo = sns.create_topic(Name='py-topic.fifo', Attributes={'FifoTopic': 'true', 'ContentBasedDeduplication': 'true'})['TopicArn']
    sns.set_topic_attributes(TopicArn=standard, AttributeName='DisplayName', AttributeValue='Renamed')
    sns.tag_resource(ResourceArn=standard, Tags=[{'Key': 'env', 'Value': 'dev'}])
    tags_before = sns.list_tags_for_resource(ResourceArn=standard)['Tags']
    sns.untag_resource(ResourceArn=standard, TagKeys=['team'])
    listed = [t['TopicArn'] for page in sns.get_paginator('list_topics').paginate() for t in page['Topics']]
    return {
        'standard': standard,
        'again': again,
        'fifo': fifo,
        'standardAttributes': sns.get_topic_attributes(TopicArn=standard)['Attributes'],
        'fifoAttributes': sns.get_topic_attributes(TopicArn=fifo)['Attributes'],
        'tagsBefore': sorted(tags_before, key=lambda t: t['Key']),
        'tagsAfter': sns.list_tags_for_resource(ResourceArn=standard)['Tags'],
        'listed': sorted(listed),
    }


def fanout(sns, sqs):
    topic = sns.create_topic(Name='py-fanout')['TopicArn']
    everything_url, everything_arn = queue(sqs, 'py-everything')
    red_url, red_arn = queue(sqs, 'py-red')
    raw_url, raw_arn = queue(sqs, 'py-raw')
    everything = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=everything_arn, ReturnSubscriptionArn=True)['SubscriptionArn']
    red = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=red_arn, ReturnSubscriptionArn=True,
                        Attributes={'FilterPolicy': json.dumps({'color': ['red'], 'size': [{'numeric': ['>', 5]}]})})['SubscriptionArn']
    raw = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=raw_arn, ReturnSubscriptionArn=True)['SubscriptionArn']
    sns.set_subscription_attributes(SubscriptionArn=raw, AttributeName='RawMessageDelivery', AttributeValue='true')
    red_attributes = sns.get_subscription_attributes(SubscriptionArn=red)['Attributes']
    by_topic = sns.list_subscriptions_by_topic(TopicArn=topic)['Subscriptions']

    one = sns.publish(TopicArn=topic, Message='red and big', Subject='hi',
                      MessageAttributes={'color': {'DataType': 'String', 'StringValue': 'red'}, 'size': {'DataType': 'Number', 'StringValue': '9'}})
    sns.publish(TopicArn=topic, Message='red but small',
                MessageAttributes={'color': {'DataType': 'String', 'StringValue': 'red'}, 'size': {'DataType': 'Number', 'StringValue': '2'}})
    batch = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {'Id': 'b1', 'Message': 'batch red', 'MessageAttributes': {'color': {'DataType': 'String', 'StringValue': 'red'}, 'size': {'DataType': 'Number', 'StringValue': '6'}}},
        {'Id': 'b2', 'Message': 'batch blue', 'MessageAttributes': {'color': {'DataType': 'String', 'StringValue': 'blue'}, 'size': {'DataType': 'Number', 'StringValue': '60'}}},
    ])
    # an attribute named like Object.prototype's own key is data like any other
    sns.publish(TopicArn=topic, Message='odd name', MessageAttributes={'__proto__': {'DataType': 'String', 'StringValue': 'x'}})
    everything_got = drain(sqs, everything_url)
    red_got = drain(sqs, red_url)
    raw_got = drain(sqs, raw_url)

    sns.unsubscribe(SubscriptionArn=red)
    sns.publish(TopicArn=topic, Message='after unsubscribe', MessageAttributes={'color': {'DataType': 'String', 'StringValue': 'red'}, 'size': {'DataType': 'Number', 'StringValue': '9'}})
    return {
        'topic': topic,
        'subscriptions': {'everything': everything, 'red': red, 'raw': raw},
        'redAttributes': red_attributes,
        'byTopic': sorted(by_topic, key=lambda s: s['Endpoint']),
        'messageId': one['MessageId'],
        'batch': {'successful': sorted(e['Id'] for e in batch['Successful']), 'failed': batch['Failed']},
        'everything': [{'envelope': json.loads(m['body']), 'attributes': m['attributes']} for m in everything_got],
        'red': [json.loads(m['body'])['Message'] for m in red_got],
        'raw': raw_got,
        'redAfterUnsubscribe': drain(sqs, red_url, 1),
        'everythingAfterUnsubscribe': [json.loads(m['body'])['Message'] for m in drain(sqs, everything_url)],
        'afterUnsubscribe': sorted(s['Endpoint'] for s in sns.list_subscriptions_by_topic(TopicArn=topic)['Subscriptions']),
    }


def fifo(sns, sqs):
    topic = sns.create_topic(Name='py-orders.fifo', Attributes={'FifoTopic': 'true'})['TopicArn']
    url, arn = queue(sqs, 'py-orders.fifo', {'FifoQueue': 'true'})
    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': 'true'})
    sent = []
    for i in range(5):
        r = sns.publish(TopicArn=topic, Message=f'order {i}', MessageGroupId='g1', MessageDeduplicationId=f'd{i}')
        sent.append(r['SequenceNumber'])
    duplicate = sns.publish(TopicArn=topic, Message='order 0 again', MessageGroupId='g1', MessageDeduplicationId='d0')
    batch = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {'Id': 'x', 'Message': 'batch 5', 'MessageGroupId': 'g1', 'MessageDeduplicationId': 'd5'},
        {'Id': 'y', 'Message': 'batch 6', 'MessageGroupId': 'g1', 'MessageDeduplicationId': 'd6'},
    ])
    got = []
    while True:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2, AttributeNames=['MessageGroupId'])
        if not r.get('Messages'):
            break
        for m in r['Messages']:
            got.append({'body': m['Body'], 'group': m['Attributes']['MessageGroupId']})
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
    return {
        'sequenceNumbers': sent,
        'duplicateId': duplicate['MessageId'],
        'batchSuccessful': sorted(e['Id'] for e in batch['Successful']),
        'received': got,
        'noGroup': caught(lambda: sns.publish(TopicArn=topic, Message='no group')),
    }


def errors(sns, sqs):
    topic = sns.create_topic(Name='py-errors')['TopicArn']
    missing = f'arn:aws:sns:us-east-1:{ACCOUNT}:py-missing'
    sub_arn = f'{topic}:00000000-0000-0000-0000-000000000000'
    return {
        'getMissing': caught(lambda: sns.get_topic_attributes(TopicArn=missing)),
        'publishMissing': caught(lambda: sns.publish(TopicArn=missing, Message='x')),
        'subscriptionMissing': caught(lambda: sns.get_subscription_attributes(SubscriptionArn=sub_arn)),
        'badFilter': caught(lambda: sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=f'arn:aws:sqs:us-east-1:{ACCOUNT}:q',
                                                  Attributes={'FilterPolicy': '{"color": "red"}'})),
        'unparsableFilter': caught(lambda: sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=f'arn:aws:sqs:us-east-1:{ACCOUNT}:q',
                                                         Attributes={'FilterPolicy': '{not json'})),
        'badProtocol': caught(lambda: sns.subscribe(TopicArn=topic, Protocol='carrier-pigeon', Endpoint='x')),
        'emptyMessage': caught(lambda: sns.publish(TopicArn=topic, Message='')),
        'duplicateBatchIds': caught(lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{'Id': 'a', 'Message': 'x'}, {'Id': 'a', 'Message': 'y'}])),
        'subscriptionsAfter': sns.list_subscriptions_by_topic(TopicArn=topic)['Subscriptions'],
        'stillServing': sns.get_topic_attributes(TopicArn=topic)['Attributes']['TopicArn'],
    }


SCENARIOS = {'topics': topics, 'fanout': fanout, 'fifo': fifo, 'errors': errors}


def main():
    endpoint, scenario = sys.argv[1:3]
    sns, sqs = client(endpoint, 'sns'), client(endpoint, 'sqs')
    try:
        out = SCENARIOS[scenario](sns, sqs)
    except ClientError as e:
        out = {'error': {'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                         'message': e.response['Error']['Message'], 'operation': e.operation_name}}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
