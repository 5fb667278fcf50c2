"""Words of the demo: PR titles, file paths and review texts that touch (or miss) the six dimensions."""

from __future__ import annotations

import numpy as np

VERBS = np.array(["Add", "Fix", "Refactor", "Update", "Remove", "Handle", "Speed up", "Simplify", "Validate",
                  "Migrate", "Rename", "Split", "Cache", "Document"], dtype=object)
THINGS = np.array(["invoice export", "payment retries", "login throttling", "order history page", "search ranking",
                   "loyalty points balance", "refund flow", "nightly report job", "currency rounding",
                   "address autocomplete", "webhook signatures", "feature toggles", "pagination of orders",
                   "email templates", "CSV upload", "rate limiter", "session expiry", "coupon codes",
                   "index rebuild", "audit trail", "health checks", "tax rules for EU", "card tokenisation",
                   "basket merge", "shipping estimates", "Kafka consumer lag", "PDF receipts"], dtype=object)
PACKAGES = np.array(["requests", "urllib3", "pydantic", "lodash", "axios", "jackson-databind", "protobuf",
                     "cryptography", "react-dom", "sqlalchemy", "certifi", "eslint"], dtype=object)
PATHS = np.array(["src/api/handlers.py", "src/core/ledger.py", "src/jobs/export.py", "src/models/order.py",
                  "src/services/payments.py", "web/components/Basket.tsx", "web/pages/Checkout.tsx",
                  "internal/index/builder.go", "internal/search/query.go", "migrations/0042_orders.sql",
                  "tests/test_payments.py", "deploy/helm/values.yaml", "src/auth/session.py",
                  "reports/monthly.kt"], dtype=object)

# Review sentences per dimension (each must hit collectors.review_topics' lexicon for its dimension).
TOPICAL: dict[str, tuple[str, ...]] = {
    "architecture": (
        "Does this belong in the service layer? It couples checkout to the ledger module.",
        "The dependency points the wrong way here; can we keep the interface in core?",
        "This design duplicates an abstraction we already have in shared.",
    ),
    "failure_modes": (
        "What happens on a timeout here? A retry without backoff could hammer the gateway.",
        "This can race with the nightly job; is the handler idempotent?",
        "Edge case: the list can be empty and this throws an exception.",
    ),
    "observability": (
        "Please add a metric for sync errors so we can alert on it.",
        "Can we log the request id here? Otherwise tracing this in production is guesswork.",
        "We have no monitor for the queue depth; worth a dashboard panel.",
    ),
    "tests": (
        "The test mocks the whole repository; an integration test against the real schema would catch more.",
        "Coverage looks fine but the assert only checks the status code.",
        "This fixture hides the time zone problem; make the test use a non-UTC zone.",
    ),
    "rollback": (
        "Is this migration reversible? We need a rollback path if the deploy goes wrong.",
        "Put this behind a feature flag so we can switch it off without a revert.",
        "Is this backward compatible with old clients during the canary?",
    ),
    "security": (
        "This endpoint skips the permission check for admins of other tenants.",
        "Careful: the token ends up in plain text here.",
        "Sanitize the filename before building the path; injection risk.",
    ),
}
# Review sentences that touch no dimension (small talk, naming, style).
GENERIC = np.array(["nit: naming", "Could you rename this variable to something clearer?", "Typo in the docstring.",
                    "Please split this function, it is getting long.", "Small style nit: prefer f-strings.",
                    "Why not reuse the helper from utils?", "Can you add a short comment explaining this?",
                    "Nice cleanup!", "Minor: the constant can move to the top."], dtype=object)
APPROVALS = np.array(["LGTM", "Looks good to me, thanks!", "Ship it.", "Approved, nice work.", "LGTM with the nit."],
                     dtype=object)
REPLIES = np.array(["Done.", "Good catch, fixed.", "Updated, thanks.", "Agreed, changed it.",
                    "Will do in a follow-up."], dtype=object)
ARCHITECT_DIMENSIONS = ("architecture", "rollback", "security", "failure_modes")
DIMENSION_NAMES = tuple(TOPICAL)
_TOPICAL = {dim: np.array(lines, dtype=object) for dim, lines in TOPICAL.items()}


def review_texts(rng: np.random.Generator, topical: np.ndarray, dimensions: tuple[str, ...] = DIMENSION_NAMES,
                 plain: np.ndarray = GENERIC) -> np.ndarray:
    """One review text per row: a sentence of a random dimension where TOPICAL is true, else a PLAIN one."""
    n = len(topical)
    out = plain[rng.integers(len(plain), size=n)]
    dim = rng.integers(len(dimensions), size=n)
    for k, name in enumerate(dimensions):
        rows = topical & (dim == k)
        out[rows] = _TOPICAL[name][rng.integers(len(_TOPICAL[name]), size=int(rows.sum()))]
    return out


def titles(rng: np.random.Generator, n: int) -> np.ndarray:
    """N pull-request titles such as 'Fix payment retries'."""
    return VERBS[rng.integers(len(VERBS), size=n)] + " " + THINGS[rng.integers(len(THINGS), size=n)]
