"""A DVC remote on S3, for real: an S3 server on loopback (moto's server mode) with credentials.

The server is ``moto_server``, started here as its own process, with authentication on: a user
with an access key and a policy is made first, and every later request must be signed with that
key. A clone of the reproduced project pushes its outputs there, as docs/how-to/ci.md says
(``dvc remote add -d storage s3://...``; ``endpointurl`` because the server is not AWS). Then
clones with an empty cache pull them, read the model at a revision through DVC (the champion's
path), and meet a missing object and wrong credentials: each fails with a message that says so,
and no secret appears in it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.registry_repo import BIN, run

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BUCKET = "mlgate-remote"
REGION = "us-east-1"
# Requests the server answers before it starts checking signatures: those that make the user.
SETUP_REQUESTS = 4
READ_MODEL = """
import sys
from mlgate.errors import MlgateError
from mlgate.stages.champion import load_model_at
try:
    model, sha256, commit = load_model_at("HEAD")
except MlgateError as error:
    sys.exit(f"refused: {error}")
print(sha256)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """moto_server on loopback, a bucket, and a user's access key allowed to use S3."""
    import boto3

    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": str(SETUP_REQUESTS)}
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    anonymous = {"aws_access_key_id": "setup", "aws_secret_access_key": "setup"}
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION, **anonymous)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **anonymous)
    s3.create_bucket(Bucket=BUCKET)
    iam.create_user(UserName="ci")
    iam.put_user_policy(
        UserName="ci",
        PolicyName="dvc-remote",
        PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "s3:*", "Resource": "*"}]}',
    )
    key = iam.create_access_key(UserName="ci")["AccessKey"]
    credentials = {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }
    yield {"endpoint": endpoint, "credentials": credentials}
    server.terminate()
    server.wait(timeout=10)


def dvc_env(credentials: dict) -> dict:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
        "AWS_DEFAULT_REGION": REGION,
        **credentials,
    }


def sh(repo: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)


def use_remote(repo: Path, endpoint: str) -> None:
    """The documented commands, with the endpoint of a server that is not AWS."""
    run(repo, "dvc", "remote", "add", "-d", "storage", f"s3://{BUCKET}/mlgate")
    run(repo, "dvc", "remote", "modify", "storage", "endpointurl", endpoint)


@pytest.fixture(scope="module")
def pushed(seed, s3, tmp_path_factory):
    """A clone of the reproduced project whose outputs are pushed to the S3 remote."""
    work = tmp_path_factory.mktemp("s3") / "work"
    run(work.parent, "git", "clone", "-q", str(seed), str(work))
    run(work, "dvc", "cache", "dir", "--local", str(seed / ".dvc" / "cache"))
    run(work, "dvc", "checkout", "--quiet")
    use_remote(work, s3["endpoint"])
    run(work, "git", "commit", "-q", "-am", "An S3 remote")
    done = sh(work, "dvc", "push", env=dvc_env(s3["credentials"]))
    assert done.returncode == 0, done.stderr
    return work


def fresh_clone(pushed: Path, target: Path) -> Path:
    """A clone with its own, empty DVC cache: everything must come from the remote."""
    run(target.parent, "git", "clone", "-q", str(pushed), str(target))
    return target


def objects(s3: dict) -> list[str]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3["endpoint"],
        region_name=REGION,
        aws_access_key_id=s3["credentials"]["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=s3["credentials"]["AWS_SECRET_ACCESS_KEY"],
    )
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return [item["Key"] for item in listed]


def test_push_stores_every_output_and_a_fresh_clone_pulls_them(pushed, s3, tmp_path):
    lock = (pushed / "dvc.lock").read_text()
    stored = objects(s3)
    assert stored
    work = fresh_clone(pushed, tmp_path / "fresh")
    done = sh(work, "dvc", "pull", env=dvc_env(s3["credentials"]))
    assert done.returncode == 0, done.stderr
    assert (work / "models/model.skops").is_file()
    status = sh(work, "dvc", "status", "--quiet", env=dvc_env(s3["credentials"]))
    assert status.returncode == 0, status.stdout
    assert "models/model.skops" in lock


def test_the_model_at_a_revision_is_read_from_the_remote(pushed, s3, tmp_path):
    import hashlib

    work = fresh_clone(pushed, tmp_path / "champion")
    done = sh(work, sys.executable, "-c", READ_MODEL, env=dvc_env(s3["credentials"]))
    assert done.returncode == 0, done.stderr
    genuine = hashlib.sha256((pushed / "models/model.skops").read_bytes()).hexdigest()
    assert done.stdout.strip() == genuine


def test_a_missing_object_is_named(pushed, s3, tmp_path):
    import boto3

    work = fresh_clone(pushed, tmp_path / "missing")
    md5 = next(
        line.split()[-1]
        for line in (work / "dvc.lock")
        .read_text()
        .split("path: models/model.skops")[1]
        .splitlines()
        if line.strip().startswith("md5:")
    )
    key = next(k for k in objects(s3) if k.endswith(md5[2:]))
    client = boto3.client(
        "s3", endpoint_url=s3["endpoint"], region_name=REGION,
        aws_access_key_id=s3["credentials"]["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=s3["credentials"]["AWS_SECRET_ACCESS_KEY"],
    )  # fmt: skip
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    client.delete_object(Bucket=BUCKET, Key=key)
    try:
        pulled = sh(work, "dvc", "pull", "models/model.skops", env=dvc_env(s3["credentials"]))
        assert pulled.returncode != 0
        assert "models/model.skops" in pulled.stderr + pulled.stdout
        read = sh(work, sys.executable, "-c", READ_MODEL, env=dvc_env(s3["credentials"]))
        assert read.returncode == 1
        assert "models/model.skops at HEAD is not in the DVC cache or remote" in read.stderr
    finally:
        client.put_object(Bucket=BUCKET, Key=key, Body=body)


def test_wrong_credentials_fail_clearly_and_show_no_secret(pushed, s3, tmp_path):
    work = fresh_clone(pushed, tmp_path / "wrong")
    secret = "wrong-secret-0123456789abcdef"
    env = dvc_env({"AWS_ACCESS_KEY_ID": "AKIAWRONGWRONGWRONG", "AWS_SECRET_ACCESS_KEY": secret})
    pulled = sh(work, "dvc", "pull", env=env)
    assert pulled.returncode != 0
    said = pulled.stderr + pulled.stdout
    assert any(word in said for word in ("InvalidAccessKeyId", "403", "Forbidden")), said
    assert secret not in said
    read = sh(work, sys.executable, "-c", READ_MODEL, env=env)
    assert read.returncode == 1
    assert "is not in the DVC cache or remote" in read.stderr
    assert secret not in read.stderr
    real = s3["credentials"]["AWS_SECRET_ACCESS_KEY"]
    assert real not in said + read.stderr
