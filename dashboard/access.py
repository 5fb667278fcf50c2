"""Who may see what: sign-in state, access rules from teams.yaml, and the one check every page goes through."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass

ALLOW_OPEN_ENV = "LEGIBLE_ALLOW_OPEN_ACCESS"


@dataclass(frozen=True)
class Viewer:
    """The person looking: their e-mail (None when sign-in is off) and the teams they may see (None = all)."""

    email: str | None
    teams: frozenset[str] | None

    @property
    def sees_everything(self) -> bool:
        """True for leadership and for local use without sign-in."""
        return self.teams is None

    def can_see(self, team: str) -> bool:
        """True when TEAM may be shown to this viewer."""
        return self.teams is None or team in self.teams

    def restrict(self, teams: Iterable[str] | None, every: Iterable[str]) -> tuple[str, ...] | None:
        """The asked TEAMS (None = all of EVERY) cut down to what this viewer may see; None only for all."""
        if self.teams is None:
            return tuple(teams) if teams is not None else None
        asked = every if teams is None else teams
        return tuple(t for t in asked if t in self.teams)


LOCAL = Viewer(email=None, teams=None)


def allowed_teams(rules: Iterable[tuple[str, str]], email: str) -> frozenset[str] | None:
    """The teams EMAIL may see under RULES (principal, team_id): None for every team, empty for none."""
    address = email.strip().lower()
    domain = "@" + address.rpartition("@")[2] if "@" in address else None
    granted = {team for principal, team in rules if principal in (address, domain)}
    return None if "*" in granted else frozenset(granted)


def signed_in_viewer(rules: Iterable[tuple[str, str]], email: str | None, verified: bool | None) -> Viewer:
    """The viewer for a signed-in user; an unverified or missing e-mail gets no access."""
    if not email or verified is False:
        return Viewer(email=email, teams=frozenset())
    return Viewer(email=email.strip().lower(), teams=allowed_teams(rules, email))


def is_loopback(address: str | None) -> bool:
    """True when the server listens on loopback only (an empty address means every interface)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def open_access_allowed(address: str | None, setting: bool = False) -> bool:
    """Whether the app may run without sign-in: bound to loopback, or explicitly allowed."""
    return is_loopback(address) or setting or os.environ.get(ALLOW_OPEN_ENV, "").lower() in ("1", "true", "yes")


def providers(auth_section) -> list[str | None]:
    """The sign-in providers configured under [auth]: named sub-sections, else the single default (None)."""
    named = [name for name, value in auth_section.items() if hasattr(value, "keys")]
    return named or [None]
