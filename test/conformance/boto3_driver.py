"""
The Python half of test/conformance/boto3.test.ts: a long-lived process that makes real boto3
calls for the TypeScript test, one request per line on stdin, one answer per line on stdout
(JSON lines). Values that JSON cannot carry travel tagged: {"$blob": base64} for bytes and
{"$ts": ISO 8601} for timestamps, both ways.

Requests:
  {"cmd": "describe", "service": s, "ops": [names], "model": path|null}
      -> {"ok": true, "ops": {name: {"cli": its AWS CLI name, "input": shape|null, "output": shape|null}},
          "missing": [ops botocore does not know], "shapes": {name: description},
          "errors": [the service's modelled error shapes], "protocol": botocore's choice}
         botocore's own model of those operations, so the test can keep to what both models
         share (botocore's models are newer than ours).
  {"cmd": "call", "service": s, "protocol": p|null, "model": path|null, "endpoint": url, "op": name, "params": {...}}
      -> {"ok": true, "output": {...}}
      or {"ok": false, "error": {"code", "status", "message", "type", "class"}}
         `protocol` forces one of the protocols botocore's model lists (CloudWatch speaks
         json, query and smithy-rpc-v2-cbor; botocore picks json by itself).

A client is a real boto3 client: parameter validation on, retries off, path-style S3, fixed
credentials, region us-east-1. Nothing here bypasses botocore's handlers.
"""
import base64
import copy
import datetime
import json
import os
import sys
import traceback

if os.environ.get('BOTO3_DRIVER_BOTOCORE') == 'awscli':
    # the AWS CLI v1 vendors its own botocore: importing awscli first makes `botocore` that one
    import awscli  # noqa: F401

import boto3
import botocore.session
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.response import StreamingBody

_clients = {}


def _session(service, protocol, model_file=None):
    """A botocore session whose model of `service` speaks `protocol` (None: botocore's choice),
    and is read from `model_file` if given (a model of another date, e.g. SQS's last query one)."""
    session = botocore.session.get_session()
    if protocol is None and model_file is None:
        return session
    loader = session.get_component('data_loader')
    load = loader.load_service_model

    def load_forced(service_name, type_name, api_version=None):
        if service_name != service or type_name != 'service-2':
            return load(service_name, type_name, api_version)
        if model_file is not None:
            with open(model_file) as f:
                model = json.load(f)
        else:
            model = copy.deepcopy(load(service_name, type_name, api_version))
        if protocol is not None:
            listed = model['metadata'].get('protocols', [model['metadata']['protocol']])
            if protocol not in listed:
                raise ValueError(f'{service} does not list {protocol} (only {listed})')
            model['metadata']['protocols'] = [protocol]
            model['metadata']['protocol'] = protocol
        return model

    loader.load_service_model = load_forced
    return session


def client(service, protocol, model_file, endpoint):
    key = (service, protocol, model_file, endpoint)
    if key not in _clients:
        session = boto3.session.Session(botocore_session=_session(service, protocol, model_file))
        _clients[key] = session.client(
            service,
            endpoint_url=endpoint,
            region_name='us-east-1',
            aws_access_key_id='test',
            aws_secret_access_key='test',
            config=Config(
                retries={'total_max_attempts': 1},
                parameter_validation=True,
                inject_host_prefix=False,
                s3={'addressing_style': 'path'},
                # checksums only where the operation requires one: the test compares members,
                # and a checksum the client adds on its own is not the caller's
                request_checksum_calculation='when_required',
                response_checksum_validation='when_required',
                connect_timeout=10,
                read_timeout=30,
            ),
        )
    return _clients[key]


def decode(value):
    """Tagged JSON -> Python values botocore takes."""
    if isinstance(value, dict):
        if set(value) == {'$blob'}:
            return base64.b64decode(value['$blob'])
        if set(value) == {'$ts'}:
            return datetime.datetime.fromisoformat(value['$ts'].replace('Z', '+00:00'))
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(value):
    """What boto3 returned -> tagged JSON."""
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {'$blob': base64.b64encode(bytes(value)).decode('ascii')}
    if isinstance(value, StreamingBody):
        return {'$blob': base64.b64encode(value.read()).decode('ascii')}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        utc = value.astimezone(datetime.timezone.utc)
        return {'$ts': utc.strftime('%Y-%m-%dT%H:%M:%S.') + f'{utc.microsecond // 1000:03d}Z'}
    return value


def describe_shape(shape, shapes):
    if shape.name in shapes:
        return shape.name
    d = {'type': shape.type_name}
    shapes[shape.name] = d
    meta = shape.metadata
    if 'min' in meta:
        d['min'] = meta['min']
    if shape.serialization.get('hostLabel'):
        d['min'] = max(d.get('min', 0), 1)
    if meta.get('document'):
        d['document'] = True
    if shape.type_name == 'structure':
        if getattr(shape, 'is_tagged_union', False):
            d['union'] = True
        d['required'] = list(meta.get('required', []))
        members = {}
        for name, m in shape.members.items():
            entry = {'shape': describe_shape(m, shapes)}
            if m.metadata.get('idempotencyToken'):
                entry['token'] = True
            if m.serialization.get('streaming'):
                entry['streaming'] = True
            if m.serialization.get('eventstream'):
                entry['eventstream'] = True
            if m.serialization.get('location'):
                entry['location'] = m.serialization['location']
            if m.serialization.get('hostLabel'):
                entry['hostLabel'] = True
            members[name] = entry
        d['members'] = members
    elif shape.type_name == 'list':
        d['member'] = describe_shape(shape.member, shapes)
    elif shape.type_name == 'map':
        d['key'] = describe_shape(shape.key, shapes)
        d['value'] = describe_shape(shape.value, shapes)
    return shape.name


_describe_session = botocore.session.get_session()


def describe(req):
    if req.get('model'):
        model = _session(req['service'], None, req['model']).get_service_model(req['service'])
    else:
        model = _describe_session.get_service_model(req['service'])
    known = set(model.operation_names)
    shapes, ops, missing = {}, {}, []
    for name in req['ops']:
        if name not in known:
            missing.append(name)
            continue
        op = model.operation_model(name)
        ops[name] = {
            'cli': xform_name(name, '-'),
            'input': describe_shape(op.input_shape, shapes) if op.input_shape is not None else None,
            'output': describe_shape(op.output_shape, shapes) if op.output_shape is not None else None,
        }
    errors = [shape.name for shape in model.error_shapes]
    return {'ok': True, 'ops': ops, 'missing': missing, 'shapes': shapes, 'errors': errors, 'protocol': model.resolved_protocol}


def export_model(req):
    """Writes botocore's model of `service`, made to speak `protocol`, under `dir` as a data
    path (AWS_DATA_PATH) from which botocore and the AWS CLI load it instead of their own."""
    import os

    service, protocol = req['service'], req['protocol']
    session = _session(service, protocol, req.get('model'))
    api_version = session.get_component('data_loader').determine_latest_version(service, 'service-2')
    model = session.get_component('data_loader').load_service_model(service, 'service-2', api_version)
    folder = os.path.join(req['dir'], service, api_version)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'service-2.json'), 'w') as f:
        json.dump(model, f)
    return {'ok': True, 'path': folder}


def call(req):
    c = client(req['service'], req.get('protocol'), req.get('model'), req['endpoint'])
    method = getattr(c, xform_name(req['op']))
    try:
        out = method(**decode(req['params']))
    except ClientError as e:
        err = e.response.get('Error', {})
        return {
            'ok': False,
            'error': {
                'code': err.get('Code'),
                'message': err.get('Message'),
                'status': e.response.get('ResponseMetadata', {}).get('HTTPStatusCode'),
                'class': type(e).__name__,
            },
        }
    out.pop('ResponseMetadata', None)
    return {'ok': True, 'output': encode(out)}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            if req['cmd'] == 'describe':
                res = describe(req)
            elif req['cmd'] == 'export-model':
                res = export_model(req)
            elif req['cmd'] == 'call':
                res = call(req)
            else:
                res = {'ok': False, 'fatal': f'unknown command {req["cmd"]}'}
        except Exception as e:  # anything botocore raised that is not a service error
            res = {
                'ok': False,
                'fatal': f'{type(e).__name__}: {e}',
                'trace': traceback.format_exc(limit=4),
            }
        res['id'] = req.get('id')
        sys.stdout.write(json.dumps(res, ensure_ascii=False) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    sys.stdout.write(json.dumps({'ready': True, 'boto3': boto3.__version__, 'botocore': botocore.__version__}) + '\n')
    sys.stdout.flush()
    main()
