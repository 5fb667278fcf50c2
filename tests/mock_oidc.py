"""A small OpenID Connect provider on 127.0.0.1 for sign-in tests: discovery, a login form, PKCE, RS256 tokens."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from authlib.jose import JsonWebKey, jwt

CLIENT_ID = "legible-test"
CLIENT_SECRET = "oidc-client-secret-for-tests-9f2c"


class MockOIDC:
    """An OIDC provider whose login form signs in whoever types an e-mail address."""

    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "test-key"})
        self.codes: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

    @property
    def metadata_url(self) -> str:
        """The discovery document's URL (server_metadata_url in secrets.toml)."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> MockOIDC:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        """The provider's metadata."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def id_token(self, grant: dict) -> str:
        """A signed ID token for a granted code."""
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:16],
                  "aud": self.client_id, "iat": now, "exp": now + 3600, "nonce": grant.get("nonce"),
                  "email": grant["email"], "email_verified": True, "name": grant["email"].split("@")[0]}
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key).decode()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                """Stay quiet."""

            def _send(self, status: int, body: str | dict, kind: str = "application/json", headers=None):
                data = (json.dumps(body) if isinstance(body, dict) else body).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._send(200, provider.discovery())
                if url.path == "/jwks":
                    return self._send(200, {"keys": [provider.key.as_dict(is_private=False)]})
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._send(400, {"error": "invalid_client"})
                    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                     for k, v in query.items())
                    page = ("<!doctype html><title>Mock sign-in</title><h1>Mock identity provider</h1>"
                            f'<form method="post" action="/authorize">{hidden}'
                            '<label>E-mail <input name="email" id="email" type="email"></label>'
                            '<button id="signin" type="submit">Sign in</button></form>')
                    return self._send(200, page, "text/html")
                return self._send(404, {"error": "not_found"})

            def do_POST(self):
                url = urlparse(self.path)
                form = self._form()
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = form
                    target = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}"
                    return self._send(302, "", "text/plain", {"Location": target})
                if url.path == "/token":
                    return self._token(form)
                return self._send(404, {"error": "not_found"})

            def _token(self, form: dict):
                client_id, client_secret = form.get("client_id"), form.get("client_secret")
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
                if (client_id, client_secret) != (provider.client_id, provider.client_secret):
                    return self._send(401, {"error": "invalid_client"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or grant.get("redirect_uri") != form.get("redirect_uri"):
                    return self._send(400, {"error": "invalid_grant"})
                if grant.get("code_challenge"):
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                        return self._send(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self._send(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                        "expires_in": 3600, "id_token": provider.id_token(grant)})

        return Handler
