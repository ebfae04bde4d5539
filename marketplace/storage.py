"""File storage behind one small interface: a local folder by default, S3-compatible when S3_BUCKET is set.

Keys are content-hashed (``photos/<sha256>.webp``), so a stored file never changes and may be cached
forever; the app serves every key through ``/media/<key>`` (the CSP allows images from 'self' only).
"""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from flask import current_app

_KEY = re.compile(r"^[a-z0-9][a-z0-9/_.-]{0,199}$")


class StorageError(OSError):
    """A file could not be stored or read (a bad key, a full disk, the bucket unreachable)."""


def valid_key(key: str) -> bool:
    return bool(_KEY.match(key)) and ".." not in key and not key.endswith("/")


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


class LocalStorage:
    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not valid_key(key):
            raise StorageError(f"invalid key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a crash mid-write never leaves a half file under a valid key.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, StorageError, IsADirectoryError):
            return None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except (FileNotFoundError, StorageError):
            pass

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except StorageError:
            return False


class S3Storage:
    def __init__(self, bucket: str, endpoint_url: str | None, region: str | None,
                 access_key_id: str | None, secret_access_key: str | None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        # An unreachable bucket answers within seconds (a clear error for the seller), never holds a
        # worker for botocore's default minute of retries.
        config = Config(connect_timeout=3, read_timeout=15, retries={"max_attempts": 2, "mode": "standard"})
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region or "us-east-1",
                                   aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
                                   config=config)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        if not valid_key(key):
            raise StorageError(f"invalid key {key!r}")
        with _s3_errors(key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type,
                                   CacheControl="public, max-age=31536000, immutable")

    def get(self, key: str) -> bytes | None:
        if not valid_key(key):
            return None
        try:
            with _s3_errors(key):
                return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def delete(self, key: str) -> None:
        if valid_key(key):
            with _s3_errors(key):
                self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        return self.get(key) is not None


@contextmanager
def _s3_errors(key: str):
    """botocore's errors (connection refused, timeouts, 5xx) as StorageError; a missing key stays
    NoSuchKey for ``get``."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise
        raise StorageError(f"storage refused {key}: {exc}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"storage unreachable for {key}: {exc}") from exc


def get_storage() -> Storage:
    """The configured backend, built once per app."""
    cache = current_app.extensions.setdefault("storage", {})
    config = current_app.config
    marker = (config.get("S3_BUCKET"), config.get("S3_ENDPOINT_URL"), config.get("UPLOAD_DIR"))
    if cache.get("marker") != marker:
        if config.get("S3_BUCKET"):
            backend: Storage = S3Storage(config["S3_BUCKET"], config.get("S3_ENDPOINT_URL"),
                                         config.get("S3_REGION"), config.get("S3_ACCESS_KEY_ID"),
                                         config.get("S3_SECRET_ACCESS_KEY"))
        else:
            backend = LocalStorage(config["UPLOAD_DIR"])
        cache.update(marker=marker, backend=backend)
    return cache["backend"]
