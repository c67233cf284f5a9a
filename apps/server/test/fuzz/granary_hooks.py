"""Schemathesis hooks for fuzzing Granary's server (loaded through SCHEMATHESIS_HOOKS=granary_hooks).

They touch requests generated as *valid* (positive mode), and keep them valid; invalid (negative) cases are
sent as generated, except that a deadline header that is itself valid is raised to MIN_BUDGET_MS (the case
stays invalid for whatever else made it so, and a store write does not answer 504 for want of time). Each covers one rule the OpenAPI document states in prose because JSON Schema
cannot state it, or one answer that is correct but depends on the machine's speed.
"""

import os
import re
import time
from datetime import datetime

import schemathesis

DEADLINE_HEADER = "x-granary-deadline-ms"
# Below this budget a store call may not finish on a loaded 2-core CI machine: a write then correctly answers
# 504 and a read is served from fallbacks (correct, but it makes the fuzzer's status checks depend on the
# machine's speed). Such budgets no longer open the circuit (docs/reliability.md). Valid cases use at least this.
MIN_BUDGET_MS = 50
DEADLINE_ROUTES = ("/v1/features", "/get-online-features", "/v1/push", "/v1/heartbeats", "/write-to-online-store")
# POST /v1/heartbeats refuses a completeUpTo more than 5 minutes ahead of the server clock (stated in the
# document's description); valid cases in the future are moved to the epoch.
HEARTBEAT_MAX_AHEAD_MS = 5 * 60 * 1000
# The server's grammar of the header (run-schemathesis.ts passes it from src/schemas/wire-patterns.ts).
DEADLINE_PATTERN = re.compile(os.environ["GRANARY_DEADLINE_HEADER_PATTERN"])


def _raise_deadline(case) -> None:
    """A valid deadline header below MIN_BUDGET_MS becomes MIN_BUDGET_MS; an invalid one is left alone."""
    value = (case.headers or {}).get(DEADLINE_HEADER)
    if isinstance(value, str) and DEADLINE_PATTERN.search(value) and float(value) < MIN_BUDGET_MS:
        case.headers[DEADLINE_HEADER] = str(MIN_BUDGET_MS)


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def before_call(context, case, **kwargs):
    path = case.operation.path
    if path in DEADLINE_ROUTES:
        _raise_deadline(case)
    if not _is_positive(case):
        return
    # Feast's columnar entities: every join-key column has the same length (one entity per position).
    if path == "/get-online-features" and isinstance(case.body, dict):
        entities = case.body.get("entities")
        if isinstance(entities, dict) and entities:
            rows = min(len(column) for column in entities.values())
            case.body["entities"] = {name: column[:rows] for name, column in entities.items()}
    # Feast's columnar write: every df column has the same length (one row per position).
    if path == "/write-to-online-store" and isinstance(case.body, dict):
        df = case.body.get("df")
        if isinstance(df, dict) and df:
            rows = min(len(column) for column in df.values())
            case.body["df"] = {name: column[:rows] for name, column in df.items()}
    if path in DEADLINE_ROUTES:
        if isinstance(case.body, dict) and isinstance(case.body.get("deadlineMs"), (int, float)):
            if case.body["deadlineMs"] < MIN_BUDGET_MS:
                case.body["deadlineMs"] = MIN_BUDGET_MS
    if path == "/v1/heartbeats" and isinstance(case.body, dict):
        ms = _ms(case.body.get("completeUpTo"))
        if ms is None or ms > time.time() * 1000 + HEARTBEAT_MAX_AHEAD_MS:
            case.body["completeUpTo"] = 0


def _ms(value):
    """A wire time (RFC 3339 or ms since the epoch) in ms, or None when Python cannot read it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        # Python reads at most 6 fraction digits: drop the rest (sub-microsecond, irrelevant here).
        text = re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", value.replace("Z", "+00:00"))
        try:
            return datetime.fromisoformat(text).timestamp() * 1000
        except (ValueError, OverflowError):
            return None
    return None
