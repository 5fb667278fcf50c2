"""The sign-in gate: who is looking, decided before any page draws (st.login with the [auth] secrets)."""

from __future__ import annotations

import streamlit as st

from dashboard import access, data


def _auth_section():
    try:
        return st.secrets.get("auth")
    except Exception:  # no secrets.toml at all
        return None


def _setting(name: str) -> bool:
    try:
        return bool(st.secrets.get("legible", {}).get(name, False))
    except Exception:
        return False


def gate(url: str) -> access.Viewer:
    """The viewer of this run; draws the sign-in, no-access or refusal page and stops the run when needed."""
    auth = _auth_section()
    if not auth:
        address = st.get_option("server.address")
        if not access.open_access_allowed(address, _setting("allow_open_access")):
            st.title("Sign-in required")
            st.error(f"This app listens on {address or 'every network interface'} without sign-in, so anyone "
                     "who can reach it would see every team. Configure sign-in ([auth] in .streamlit/secrets.toml, "
                     "docs/OPERATIONS.md), bind it to 127.0.0.1, or allow open access explicitly with "
                     f"{access.ALLOW_OPEN_ENV}=1.", icon="🛑")
            st.stop()
        st.sidebar.caption("Sign-in is off (no [auth] in .streamlit/secrets.toml): whoever can open this app "
                           "sees every team.")
        return access.LOCAL
    if not st.user.is_logged_in:
        st.title("Legible")
        st.write("Engineering metrics for our teams. Sign in with your company account to continue.")
        for provider in access.providers(auth):
            label = f"Sign in with {provider.replace('_', ' ').title()}" if provider else "Sign in"
            st.button(label, on_click=st.login, args=(provider,) if provider else (), type="primary",
                      key=f"login-{provider or 'default'}")
        st.stop()
    viewer = access.signed_in_viewer(data.access_rules(url), st.user.get("email"), st.user.get("email_verified"))
    with st.sidebar:
        st.caption(f"Signed in as {viewer.email or 'an account without e-mail'}"
                   + ("" if viewer.sees_everything else f" · {len(viewer.teams or ())} team(s) visible"))
        st.button("Sign out", on_click=st.logout, key="logout")
    if viewer.teams == frozenset():
        st.title("No access")
        st.warning("You are signed in, but no access rule in teams.yaml names your e-mail address or its domain. "
                   "Ask the person who runs Legible to add you under access.", icon="🔒")
        st.stop()
    return viewer
