"""The S3-compatible backend, against moto's S3 server on 127.0.0.1 (a real HTTP endpoint)."""
import io
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from marketplace.catalog.models import ProductPhoto
from marketplace.extensions import db
from marketplace.storage import S3Storage, get_storage
from tests import factories

pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

S3_KEYS = {"S3_BUCKET": "pasar-test", "S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "test",
           "S3_SECRET_ACCESS_KEY": "test"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_server():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                     aws_secret_access_key="test").create_bucket(Bucket=S3_KEYS["S3_BUCKET"])
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_app(app, moto_server):
    saved = {k: app.config.get(k) for k in [*S3_KEYS, "S3_ENDPOINT_URL"]}
    app.config.update(S3_KEYS, S3_ENDPOINT_URL=moto_server)
    yield app
    app.config.update(saved)


def test_put_get_delete_round_trip(s3_app):
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    storage.put("photos/abc.webp", b"data", "image/webp")
    assert storage.get("photos/abc.webp") == b"data" and storage.exists("photos/abc.webp")
    storage.delete("photos/abc.webp")
    assert storage.get("photos/abc.webp") is None


def test_an_upload_lands_in_the_bucket_and_is_served_through_the_app(s3_app, client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    response = client.post(f"/seller/products/{product.id}/photos",
                           data={"photos": [(io.BytesIO(factories.image_bytes()), "a.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    photo = db.session.execute(select(ProductPhoto)).scalar_one()
    assert stored_files() == set()  # nothing on the local disk
    served = client.get(f"/media/{photo.key}")
    assert served.status_code == 200 and served.data[:4] == b"RIFF"
    assert "immutable" in served.headers["Cache-Control"]


@pytest.fixture
def unreachable_bucket(app):
    """The S3 settings pointing at a port where nothing listens: the bucket is down."""
    saved = {k: app.config.get(k) for k in [*S3_KEYS, "S3_ENDPOINT_URL"]}
    app.config.update(S3_KEYS, S3_ENDPOINT_URL=f"http://127.0.0.1:{_free_port()}")
    yield app
    app.config.update(saved)


def test_with_the_bucket_down_an_upload_says_so_and_changes_nothing(unreachable_bucket, client, seller):
    product = factories.product(seller)
    db.session.commit()
    response = client.post(f"/seller/products/{product.id}/photos",
                           data={"photos": [(io.BytesIO(factories.image_bytes()), "a.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 503
    assert b"could not be saved just now" in response.data
    assert db.session.execute(select(ProductPhoto)).scalars().all() == []


def test_with_the_bucket_down_a_photo_answers_503_not_500(unreachable_bucket, client):
    assert client.get("/media/photos/abc.webp").status_code == 503
