"""Schemathesis hooks for fuzzing Granary's server (loaded through SCHEMATHESIS_HOOKS=granary_hooks).

They touch only requests generated as *valid* (positive mode), and keep them valid; invalid (negative) cases
are sent exactly as generated. Each covers one rule the OpenAPI document states in prose because JSON Schema
cannot state it, or one answer that is correct but depends on the machine's speed.
"""

import schemathesis

DEADLINE_HEADER = "x-granary-deadline-ms"
# Below this budget a write may not finish on a loaded 2-core CI machine, and the server then answers 504
# DEADLINE_EXCEEDED: the correct answer, but not a property of the request, so valid cases use at least this.
MIN_WRITE_BUDGET_MS = 50


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
    if path == "/v1/push" and case.headers and DEADLINE_HEADER in case.headers:
        if float(case.headers[DEADLINE_HEADER]) < MIN_WRITE_BUDGET_MS:
            case.headers[DEADLINE_HEADER] = str(MIN_WRITE_BUDGET_MS)
