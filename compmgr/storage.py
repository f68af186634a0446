"""Stored files (papers, forms, logos, signatures) behind one small interface, two backends.

``STORAGE_URL`` chooses where files live:

- unset, or ``file:///srv/compmgr/uploads``: a local folder (``UPLOAD_FOLDER``, by default
  ``<instance>/uploads``), outside ``static/``; enough for one host;
- ``s3://bucket/prefix?endpoint=https://s3.example.org&region=eu-central-1``: S3-compatible
  object storage (AWS S3, MinIO, Ceph, SeaweedFS) through boto3, shared by several hosts.
  Keys come from ``s3://KEY:SECRET@bucket/…``, else the settings ``STORAGE_S3_KEY_ID`` and
  ``STORAGE_S3_SECRET``, else boto3's usual chain (``AWS_ACCESS_KEY_ID``, ~/.aws, roles).

Every name is ours (32 hex characters from ``secrets``), never the user's. Files are written
whole or not at all, and read as streams: a download never holds a whole file in memory.
"""

import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, send_file

CHUNK = 256 * 1024
_EXTENSION = "compmgr_storage"


class StorageError(Exception):
    """A storage URL that cannot be used, or a file that did not arrive intact."""


def check_name(name):
    """Refuse anything but a name we generated: no path parts, no dots."""
    if not name or not isinstance(name, str) or not name.isalnum() or not name.isascii():
        raise ValueError("invalid stored name")
    return name


def new_name():
    return secrets.token_hex(16)


class HashingReader:
    """A read-only file wrapper that hashes and counts what passes through it."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self):
        return self.hash.hexdigest()


def _as_file(data_or_file):
    if isinstance(data_or_file, (bytes, bytearray, memoryview)):
        import io

        return io.BytesIO(bytes(data_or_file))
    return data_or_file


class LocalStorage:
    """Files in one folder of this host."""

    def __init__(self, root):
        self.root = Path(root)

    @property
    def url(self):
        return self.root.resolve().as_uri()

    def _path(self, name):
        return self.root / check_name(name)

    def put(self, name, data_or_file):
        """Write a file under name, atomically (a crash leaves the old file or none)."""
        target = self._path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{name}.{secrets.token_hex(4)}.part")
        source = _as_file(data_or_file)
        try:
            with open(tmp, "wb") as fh:
                while chunk := source.read(CHUNK):
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def open(self, name):
        """Open a stored file for reading; FileNotFoundError when it is not there."""
        return open(self._path(name), "rb")

    def size(self, name):
        return self._path(name).stat().st_size

    def exists(self, name):
        return self._path(name).is_file()

    def delete(self, name):
        self._path(name).unlink(missing_ok=True)

    def names(self):
        """Every stored name, sorted (leftovers of interrupted writes are no names)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.name.isalnum() and p.is_file())

    def send(self, name, mimetype, download_name):
        path = self._path(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        return send_file(path, mimetype=mimetype, as_attachment=True, download_name=download_name)


class S3Storage:
    """Objects in an S3-compatible bucket, under an optional key prefix."""

    def __init__(self, bucket, prefix="", endpoint=None, region=None, key_id=None, secret=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.endpoint, self.region = endpoint, region
        self._key_id, self._secret = key_id, secret
        self._client = None
        self._bucket_checked = False

    @property
    def url(self):
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        query = [f"endpoint={self.endpoint}"] if self.endpoint else []
        query += [f"region={self.region}"] if self.region else []
        return where + ("?" + "&".join(query) if query else "")

    @property
    def client(self):
        if self._client is None:
            import boto3  # only installations that use S3 pay for importing it
            from botocore.config import Config

            config = Config(
                s3={"addressing_style": "path"} if self.endpoint else {},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
            )
            self._client = boto3.session.Session().client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=self.region or "us-east-1",
                aws_access_key_id=self._key_id,
                aws_secret_access_key=self._secret,
                config=config,
            )
        return self._client

    def _key(self, name):
        check_name(name)
        return f"{self.prefix}/{name}" if self.prefix else name

    def _missing(self, exc):
        code = exc.response.get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def ensure_bucket(self):
        """Create the bucket if it does not exist yet."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)

    def put(self, name, data_or_file):
        """Upload a file; an object appears whole or not at all."""
        key = self._key(name)
        if not self._bucket_checked:
            self.ensure_bucket()
            self._bucket_checked = True
        self.client.upload_fileobj(_as_file(data_or_file), self.bucket, key)

    def _get(self, name):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if self._missing(exc) or exc.response.get("Error", {}).get("Code") == "NoSuchBucket":
                raise FileNotFoundError(name) from exc
            raise

    def open(self, name):
        """A stream of the object (botocore's StreamingBody: read(n), close())."""
        return self._get(name)["Body"]

    def size(self, name):
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if self._missing(exc):
                raise FileNotFoundError(name) from exc
            raise
        return head["ContentLength"]

    def exists(self, name):
        try:
            self.size(name)
        except FileNotFoundError:
            return False
        return True

    def delete(self, name):
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self):
        from botocore.exceptions import ClientError

        prefix = f"{self.prefix}/" if self.prefix else ""
        found = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    rest = item["Key"][len(prefix) :]
                    if rest.isalnum() and rest.isascii():
                        found.append(rest)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchBucket":
                return []
            raise
        return sorted(found)

    def send(self, name, mimetype, download_name):
        obj = self._get(name)
        response = send_file(
            obj["Body"], mimetype=mimetype, as_attachment=True, download_name=download_name
        )
        response.content_length = obj["ContentLength"]
        return response


def from_url(url, app=None):
    """Build a backend from a storage URL (see the module's docstring)."""
    app = app or current_app
    if not url:
        return LocalStorage(app.config["UPLOAD_FOLDER"])
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise StorageError(f"Ein file-URL braucht einen absoluten Pfad: {url}")
        return LocalStorage(unquote(parts.path))
    if parts.scheme == "s3":
        if not parts.hostname:
            raise StorageError(f"Im S3-URL fehlt der Bucket: {url}")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = set(query) - {"endpoint", "region"}
        if unknown:
            raise StorageError(f"Unbekannte Angabe im S3-URL: {', '.join(sorted(unknown))}")
        return S3Storage(
            bucket=parts.hostname,
            prefix=unquote(parts.path),
            endpoint=query.get("endpoint") or app.config.get("STORAGE_S3_ENDPOINT"),
            region=query.get("region") or app.config.get("STORAGE_S3_REGION"),
            key_id=unquote(parts.username or "") or app.config.get("STORAGE_S3_KEY_ID"),
            secret=unquote(parts.password or "") or app.config.get("STORAGE_S3_SECRET"),
        )
    raise StorageError(f"Unbekannte Ablage (file:// oder s3://): {url}")


def backend():
    """The app's configured backend, built once per app and setting."""
    app = current_app
    key = (app.config.get("STORAGE_URL"), app.config.get("UPLOAD_FOLDER"))
    cached = app.extensions.get(_EXTENSION)
    if cached is None or cached[0] != key:
        cached = (key, from_url(app.config.get("STORAGE_URL"), app))
        app.extensions[_EXTENSION] = cached
    return cached[1]


# The features' interface --------------------------------------------------------------------


def store_bytes(data):
    """Store data under a new random name; return (stored_name, sha256)."""
    name = new_name()
    backend().put(name, data)
    return name, hashlib.sha256(data).hexdigest()


def read_bytes(name):
    """A small stored file (a logo, a signature) as bytes; FileNotFoundError if missing."""
    with backend().open(name) as fh:
        return fh.read()


def exists(name):
    try:
        return backend().exists(name)
    except ValueError:
        return False


def send(name, mimetype, download_name):
    """A streamed attachment response; FileNotFoundError or ValueError when there is none."""
    return backend().send(name, mimetype, download_name)


def delete(stored_name):
    """Remove a stored file if it exists."""
    backend().delete(stored_name)


def checksum(store, name):
    """sha256 and size of a stored file, read as a stream."""
    with store.open(name) as fh:
        reader = HashingReader(fh)
        while reader.read(CHUNK):
            pass
    return reader.hexdigest(), reader.size


def copy_all(source, target, expected=None, progress=None):
    """Copy every file of source into target and verify each one; safe to run again.

    A file already in target with the same checksum is skipped, so an interrupted run just
    goes on. ``expected`` maps names to known sha256 sums (the documents' own): a source file
    that does not match is reported, not copied. Returns (copied, skipped, problems).
    """
    copied = skipped = 0
    problems = []
    for name in source.names():
        if progress:
            progress(name)
        try:
            if target.exists(name):
                if checksum(target, name) == checksum(source, name):
                    skipped += 1
                    continue
            with source.open(name) as fh:
                reader = HashingReader(fh)
                target.put(name, reader)
            digest = reader.hexdigest()
            if expected and expected.get(name) not in (None, digest):
                target.delete(name)
                problems.append(f"{name}: die Quelle passt nicht zur gespeicherten Prüfsumme")
                continue
            if checksum(target, name) != (digest, reader.size):
                target.delete(name)
                problems.append(f"{name}: die Kopie weicht ab")
                continue
            copied += 1
        except Exception as exc:  # noqa: BLE001  one file's failure is reported, the rest goes on
            problems.append(f"{name}: {exc}")
    return copied, skipped, problems
