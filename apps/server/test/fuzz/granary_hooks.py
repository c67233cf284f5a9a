"""Schemathesis hooks for fuzzing Granary's server (loaded through SCHEMATHESIS_HOOKS=granary_hooks).

They touch only requests generated as *valid* (positive mode), and keep them valid; invalid (negative) cases
are sent exactly as generated. Each covers one rule the OpenAPI document states in prose because JSON Schema
cannot state it, or one answer that is correct but depends on the machine's speed.
"""

import schemathesis

DEADLINE_HEADER = "x-granary-deadline-ms"
# Below this budget a store call may not finish on a loaded 2-core CI machine: a write then correctly answers
# 504, and a read is served from fallbacks while its expired deadline counts against the store's circuit
# breaker (five in a row open it for every client: docs/reliability.md). Valid cases use at least this budget.
MIN_BUDGET_MS = 50
DEADLINE_ROUTES = ("/v1/features", "/get-online-features", "/v1/push", "/write-to-online-store")


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def before_call(context, case, **kwargs):
    if not _is_positive(case):
        return
    path = case.operation.path
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
        if case.headers and DEADLINE_HEADER in case.headers:
            if float(case.headers[DEADLINE_HEADER]) < MIN_BUDGET_MS:
                case.headers[DEADLINE_HEADER] = str(MIN_BUDGET_MS)
        if isinstance(case.body, dict) and isinstance(case.body.get("deadlineMs"), (int, float)):
            if case.body["deadlineMs"] < MIN_BUDGET_MS:
                case.body["deadlineMs"] = MIN_BUDGET_MS
