"""The fictional organisation Northwind Labs: six teams, their people, habits and stories."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from collectors.demo.habits import (
    EXCELLENT,
    GOOD,
    NEARSHORE,
    OUTSOURCED,
    RAMP_UP,
    SLIPPING,
    STRAINED,
    Habits,
)

D = dt.date
ORG = "northwind"


@dataclass(frozen=True)
class Person:
    """One stretch of a person on a team; QUIET_FROM stops their activity without the roster knowing."""

    name: str
    login: str
    seniority: str
    joined_on: dt.date
    left_on: dt.date | None = None
    quiet_from: dt.date | None = None
    architect: bool = False

    @property
    def jira(self) -> str:
        """A Jira Cloud style accountId, derived from the login."""
        return hashlib.sha1(self.login.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class TeamPlan:
    """One team of the demo: its roster entry plus how it works over time."""

    id: str
    name: str
    sourcing_model: str
    vendor: str | None
    location: str
    timezone: str
    region: str                     # holiday calendar (calendar.HOLIDAYS)
    domain: str                     # e-mail domain
    started_on: dt.date | None
    repos: tuple[str, ...]
    project: str
    board: int
    members: tuple[Person, ...]
    regimes: tuple[tuple[dt.date, Habits], ...]   # habits from each date on
    release_days: tuple[dt.date, ...] = ()        # a release train instead of daily deployment chances
    staging: bool = False                         # also deploys to a non-production environment
    continuous: bool = False                      # every merge is deployed (continuous delivery)


def _release_train() -> tuple[dt.date, ...]:
    """Monthly releases (second Thursday) until May 2026, then every nine weeks as releases got bundled."""
    days = []
    for year, month in [(2025, m) for m in range(6, 13)] + [(2026, m) for m in range(1, 6)]:
        first = D(year, month, 1)
        days.append(first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7))
    days += [D(2026, 6, 11) + dt.timedelta(weeks=9 * k) for k in range(3)]
    return tuple(days)


_LONG_AGO = D(2021, 3, 1)
TEMPLATES: tuple[TeamPlan, ...] = (
    TeamPlan(
        id="platform", name="Platform", sourcing_model="in_house", vendor=None, location="Berlin, Germany",
        timezone="Europe/Berlin", region="de", domain="northwind.example", started_on=None,
        repos=(f"{ORG}/platform-api", f"{ORG}/platform-infra"), project="PLAT", board=101,
        members=(
            Person("Greta Hollmann", "greta-hollmann", "principal", D(2019, 4, 1), architect=True),
            Person("Jonas Albrecht", "jalbrecht", "staff", D(2020, 9, 1), architect=True),
            Person("Lena Vogt", "lena-vogt", "senior", _LONG_AGO),
            Person("Mats Berger", "matsberger", "senior", D(2022, 1, 10)),
            Person("Clara Neumann", "clara-n", "mid", D(2023, 6, 1)),
            Person("Felix Brandt", "fbrandt", "mid", D(2024, 2, 1)),
            Person("Ines Carvalho", "ines-carvalho", "mid", D(2026, 3, 2)),
        ),
        regimes=((D(2025, 1, 1), EXCELLENT),),
        continuous=True,
    ),
    TeamPlan(
        id="atlas", name="Atlas", sourcing_model="offshoring", vendor="Kestrel Softworks", location="Pune, India",
        timezone="Asia/Kolkata", region="in", domain="kestrel.example", started_on=D(2025, 9, 1),
        repos=(f"{ORG}/payments-api",), project="PAY", board=102,
        members=(
            Person("Aarav Deshpande", "aarav-d", "lead", D(2025, 9, 1)),
            Person("Priya Kulkarni", "priyak", "senior", D(2025, 9, 1)),
            Person("Rohan Joshi", "rohan-joshi", "mid", D(2025, 9, 1), left_on=D(2026, 5, 15)),
            Person("Sneha Patil", "sneha-patil", "mid", D(2025, 9, 1)),
            Person("Vikram Rao", "vikramrao", "mid", D(2025, 9, 1)),
            Person("Ananya Iyer", "ananya-iyer", "junior", D(2025, 9, 1)),
            Person("Kabir Menon", "kabir-m", "junior", D(2025, 10, 6)),
            Person("Meera Nair", "meera-nair", "mid", D(2026, 5, 18)),
        ),
        regimes=((D(2025, 9, 1), RAMP_UP), (D(2025, 10, 20), GOOD)),
    ),
    TeamPlan(
        id="nimbus", name="Nimbus", sourcing_model="offshoring", vendor="Tarang Technologies",
        location="Hyderabad, India", timezone="Asia/Kolkata", region="in", domain="tarang.example",
        started_on=D(2026, 6, 1), repos=(f"{ORG}/loyalty-service",), project="LOY", board=103,
        members=(
            Person("Sai Reddy", "sai-reddy", "lead", D(2026, 6, 1)),
            Person("Arjun Varma", "arjunv", "senior", D(2026, 6, 1)),
            Person("Lakshmi Pillai", "lakshmi-p", "mid", D(2026, 6, 1)),
            Person("Nikhil Gupta", "nikhil-gupta", "mid", D(2026, 6, 1)),
            Person("Pooja Bhat", "poojabhat", "mid", D(2026, 6, 1)),
            Person("Rahul Saxena", "rahul-sx", "junior", D(2026, 6, 1)),
            Person("Tanvi Shah", "tanvi-shah", "junior", D(2026, 6, 1)),
        ),
        # Days 0-54 go well; from day 55 (2026-07-26) the team slips; after day 100 it partly recovers.
        regimes=((D(2026, 6, 1), GOOD), (D(2026, 7, 26), SLIPPING), (D(2026, 9, 9), STRAINED)),
    ),
    TeamPlan(
        id="meridian", name="Meridian", sourcing_model="nearshoring", vendor="Vistula Code",
        location="Kraków, Poland", timezone="Europe/Warsaw", region="pl", domain="vistula.example",
        started_on=D(2024, 3, 4), repos=(f"{ORG}/checkout-web", f"{ORG}/checkout-bff"), project="CHK", board=104,
        members=(
            Person("Tomasz Zielinski", "tomasz-z", "lead", D(2024, 3, 4)),
            Person("Agnieszka Wrobel", "agawrobel", "senior", D(2024, 3, 4)),
            Person("Piotr Kaczmarek", "piotr-kaczmarek", "mid", D(2024, 3, 4)),
            Person("Ines Carvalho", "ines-carvalho", "mid", D(2024, 3, 4), left_on=D(2026, 3, 2)),
            Person("Kasia Nowak", "kasia-nowak", "mid", D(2024, 9, 2), quiet_from=D(2026, 10, 5)),
            Person("Marek Dudek", "marek-dudek", "junior", D(2026, 4, 7)),
        ),
        regimes=((D(2024, 3, 4), NEARSHORE),),
        staging=True,
    ),
    TeamPlan(
        id="harbor", name="Harbor", sourcing_model="staff_augmentation", vendor="Baobab Talent",
        location="Cape Town, South Africa", timezone="Africa/Johannesburg", region="za", domain="baobab.example",
        started_on=D(2025, 2, 3), repos=(f"{ORG}/search-indexer",), project="SRCH", board=105,
        members=(
            Person("Thabo Mokoena", "thabo-mokoena", "senior", D(2025, 2, 3), left_on=D(2026, 10, 12)),
            Person("Naledi Dlamini", "naledi-d", "mid", D(2025, 2, 3)),
            Person("Pieter van Wyk", "pvanwyk", "mid", D(2025, 2, 3)),
            Person("Zanele Khumalo", "zanele-k", "mid", D(2025, 4, 7)),
            Person("Sipho Ndlovu", "sipho-ndlovu", "junior", D(2026, 10, 5)),
            Person("Lerato Mahlangu", "lerato-m", "junior", D(2026, 10, 5)),
        ),
        # The vendor swaps its senior for two juniors: reviews thin out and bugs come back.
        regimes=((D(2025, 2, 3), GOOD), (D(2026, 10, 12), SLIPPING)),
        staging=True,
    ),
    TeamPlan(
        id="quarry", name="Quarry", sourcing_model="outsourcing", vendor="Lotus Delivery Partners",
        location="Ho Chi Minh City, Vietnam", timezone="Asia/Ho_Chi_Minh", region="vn", domain="lotus.example",
        started_on=D(2024, 11, 4), repos=(f"{ORG}/reporting-portal",), project="RPT", board=106,
        members=(
            Person("Nguyen Van An", "nguyen-van-an", "lead", D(2024, 11, 4)),
            Person("Tran Thi Mai", "tranthimai", "senior", D(2024, 11, 4)),
            Person("Le Minh Duc", "le-minh-duc", "mid", D(2024, 11, 4)),
            Person("Pham Thu Ha", "pham-thu-ha", "mid", D(2025, 1, 6)),
            Person("Hoang Quoc Bao", "hqbao", "junior", D(2025, 8, 4)),
            Person("Vo Thanh Tam", "vo-thanh-tam", "mid", D(2024, 11, 4)),
            Person("Dang Ngoc Lan", "dangngoclan", "mid", D(2025, 3, 3)),
        ),
        regimes=((D(2024, 11, 4), OUTSOURCED),),
        release_days=_release_train(),
    ),
)


def _copy(plan: TeamPlan, k: int) -> TeamPlan:
    """The K-th copy (K >= 1) of a template team, with its own ids, logins, repos, project and board."""
    tag = f"-{k + 1}"
    return replace(
        plan, id=plan.id + tag, name=f"{plan.name} {k + 1}",
        repos=tuple(r + tag for r in plan.repos), project=f"{plan.project}{k + 1}", board=plan.board + 1000 * k,
        members=tuple(replace(p, login=p.login + tag) for p in plan.members),
    )


def organisation(scale: int = 1) -> list[TeamPlan]:
    """The teams of the demo: SCALE copies of the six templates (copy k's architects review copy k)."""
    return [plan if k == 0 else _copy(plan, k) for k in range(scale) for plan in TEMPLATES]
