"""The core API over TLS (issue 12 #15): `serve --tls-cert --tls-key` speaks HTTPS, says
Strict-Transport-Security, and the client trusts it through the machine's CA bundle only."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from station_app.services.api import ApiSession
from station_app.services.errors import StationError
from tests.fixtures.live_server import sqlite_url


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, as a force's own CA would issue (synthetic)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "station-core.test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "core.pem", folder / "core.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return cert_file, key_file


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[str]:
    """`station-server serve` in a process of its own; yields its URL."""
    ready = folder / "ready.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station_app.server",
            "serve",
            "--port",
            "0",
            "--database-url",
            sqlite_url(folder / "tls.db"),
            "--seed-demo-if-empty",
            "--ready-file",
            str(ready),
            "--watch-stdin",
            *options,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert process.poll() is None, process.communicate()[1].decode()[-2000:]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield json.loads(ready.read_text())["url"]
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=20)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert_file, key_file = self_signed(tmp_path)
    with serving(tmp_path, "--tls-cert", str(cert_file), "--tls-key", str(key_file)) as url:
        yield url, cert_file


def test_the_server_speaks_https_and_asks_browsers_to_keep_to_it(tls_server) -> None:
    url, cert_file = tls_server
    assert url.startswith("https://127.0.0.1:")
    with ApiSession(url, workstation="TLS-1", ca_bundle=str(cert_file)) as api:
        assert api.health()["status"] == "ok"
        saved, user = (
            __import__("station_app.services.auth", fromlist=["AuthClient"])
            .AuthClient(api)
            .login("frontdesk", "Station-Demo-1")
        )
        assert user.username == "frontdesk" and saved.token
        answer = api.get("/health")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_the_forces_ca_the_certificate_is_refused_in_plain_words(tls_server) -> None:
    url, _cert_file = tls_server
    with ApiSession(url, workstation="TLS-2") as api, pytest.raises(StationError) as caught:
        api.health()
    assert "security certificate could not be checked" in caught.value.message


def test_plain_http_to_the_tls_port_gets_nothing(tls_server) -> None:
    url, _cert_file = tls_server
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url.replace("https://", "http://") + "/api/v1/health", timeout=5)


def test_behind_a_proxy_that_ends_tls_the_forwarded_scheme_is_trusted_only_from_it(
    tmp_path: Path,
) -> None:
    with serving(tmp_path, "--forwarded-allow-ips", "127.0.0.1") as url:
        proxied = requests.get(
            f"{url}/api/v1/health", headers={"X-Forwarded-Proto": "https"}, timeout=10
        )
        direct = requests.get(f"{url}/api/v1/health", timeout=10)
    assert proxied.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in direct.headers
