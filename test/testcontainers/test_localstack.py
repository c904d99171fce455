"""Drop-in use from Python: testcontainers' LocalStack module starts our image.

Run by test/testcontainers/python.test.ts (pytest), which builds the image and passes:
- TC_LOCALSTACK_IMAGE: the image to start (in place of localstack/localstack);
- TC_RUN_LABEL: a label value put on the container, so that a run killed midway can be cleaned;
- TESTCONTAINERS_RYUK_DISABLED=true (Ryuk's image is pulled from a registry; none is reachable
  here): the fixture removes the container itself, with its volume.

The module waits for the regular expression `Ready\\.\\n` in the container's logs, which our
image prints once its services and ready.d hooks are done; then boto3 clients made by the
module's get_client() drive S3 and SSM.
"""

import os

import pytest
from botocore.exceptions import ClientError

try:  # testcontainers 4.15 moved the module; the old path still works, with a warning
    from testcontainers.community.localstack import LocalStackContainer
except ImportError:  # pragma: no cover
    from testcontainers.localstack import LocalStackContainer

IMAGE = os.environ["TC_LOCALSTACK_IMAGE"]
LABEL = "cloud.localstack-ts.test-run"


@pytest.fixture(scope="module")
def localstack():
    container = LocalStackContainer(image=IMAGE, region_name="us-east-1", labels={LABEL: os.environ["TC_RUN_LABEL"]})
    container.start()
    try:
        yield container
    finally:
        container.stop()


def test_starts_our_image(localstack):
    wrapped = localstack.get_wrapped_container()
    wrapped.reload()
    assert wrapped.attrs["Config"]["Image"] == IMAGE
    assert wrapped.labels["org.opencontainers.image.title"] == "localstack-ts"
    stdout, _ = localstack.get_logs()
    assert b"Ready.\n" in stdout
    assert localstack.get_url().startswith("http://127.0.0.1:")


def test_s3_bucket_and_object(localstack):
    s3 = localstack.get_client("s3")
    s3.create_bucket(Bucket="tc-python")
    s3.put_object(Bucket="tc-python", Key="dir/hello.txt", Body=b"hello from python", ContentType="text/plain")
    listed = s3.list_objects_v2(Bucket="tc-python")
    assert [(o["Key"], o["Size"]) for o in listed["Contents"]] == [("dir/hello.txt", 17)]
    got = s3.get_object(Bucket="tc-python", Key="dir/hello.txt")
    assert got["ContentType"] == "text/plain"
    assert got["Body"].read() == b"hello from python"
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket="tc-python", Key="nope")
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_ssm_parameters(localstack):
    ssm = localstack.get_client("ssm")
    assert ssm.put_parameter(Name="/tc/python/db-url", Type="String", Value="postgres://db")["Version"] == 1
    ssm.put_parameter(Name="/tc/python/password", Type="SecureString", Value="s3cret")
    got = ssm.get_parameter(Name="/tc/python/db-url")["Parameter"]
    assert (got["Name"], got["Type"], got["Value"], got["Version"]) == ("/tc/python/db-url", "String", "postgres://db", 1)
    secret = ssm.get_parameter(Name="/tc/python/password", WithDecryption=True)["Parameter"]
    assert (secret["Type"], secret["Value"]) == ("SecureString", "s3cret")
    with pytest.raises(ClientError) as missing:
        ssm.get_parameter(Name="/tc/python/nope")
    assert missing.value.response["Error"]["Code"] == "ParameterNotFound"
