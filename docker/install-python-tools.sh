#!/bin/sh
# Run in the image's `python` stage: installs docker/python-requirements.txt (the AWS CLI v1 and
# boto3) into /opt/python, which the runtime's stage copies and puts on python3's path with a
# .pth file. With AWS_CLI=0 it leaves /opt/python empty (an image without them).
#
# Then it drops what nothing in the image runs and compresses what botocore can read
# compressed; every step is measured in BENCHMARKS.md (awscli 1.46 alone installs 155 MB):
#   - awscli/examples: the texts of `aws help`, which cannot render here anyway (no groff);
#   - examples-1.json of every service: documentation examples, read only by help;
#   - awscli's own copy of botocore ships its models as plain JSON (about 110 MB): gzipped,
#     as botocore itself ships them (its loader reads `.json.gz`);
#   - tests, and pip's records;
#   - byte code compiled once here (unchecked-hash: valid whatever the files' times), because
#     the runtime's user cannot write __pycache__ into /opt/python and every `aws` call would
#     otherwise compile the CLI again.
set -eu
mkdir -p /opt/python
case "${AWS_CLI:-1}" in
  0|false|no) echo "AWS_CLI=${AWS_CLI}: no AWS CLI and no boto3 in this image"; exit 0 ;;
esac
apt-get update
apt-get install -y --no-install-recommends python3-pip
pip install --no-cache-dir --no-compile --disable-pip-version-check --target /opt/python -r /tmp/python-requirements.txt
cd /opt/python
rm -rf awscli/examples ./*.dist-info/RECORD
find . -name examples-1.json -delete
find . -depth -type d \( -name tests -o -name __pycache__ \) -exec rm -rf {} +
find awscli/botocore/data \( -name service-2.json -o -name endpoint-rule-set-1.json \) -exec gzip -9 {} +
python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/python
du -sh /opt/python
