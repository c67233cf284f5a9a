"""Turns a Feast repo's registered entities, feature views and feature services into a Granary registry file.

Run it with the Python that has your Feast (the repo applied: `feast apply`), from anywhere:

    python feast_to_granary.py --repo path/to/feature_repo --out granary-registry.yaml [--default-max-age 1d]

What it maps (docs/feast-compatibility.md, "From a Feast repo to a Granary registry"):
- each feature view becomes a view: its ttl is maxAge (a view without ttl takes --default-max-age), its
  description is kept, its features keep their names and order, Feast types map to Granary value types;
- the entities of a view become the view's entity: one Feast entity keeps its name; several (Feast has one
  join key per entity) become one composite Granary entity named by joining their names with "_", its join keys
  in the view's order;
- each feature service becomes a feature service of `view:feature` references (projection aliases are
  dropped: Granary serves features under their view's name).
A Feast type Granary has no counterpart of, or a join key type other than string/int64/bytes, is an error
naming the view and field (exit code 2); nothing is guessed.
"""

import argparse
import sys
from datetime import timedelta

import yaml
from feast import FeatureStore

# Feast's ValueType names to Granary's value types.
VALUE_TYPES = {
    "INT64": "int64",
    "INT32": "int64",
    "DOUBLE": "float64",
    "FLOAT": "float32",
    "BOOL": "bool",
    "STRING": "string",
    "BYTES": "bytes",
    "FLOAT_LIST": "float32[]",
    "DOUBLE_LIST": "float64[]",
    "STRING_LIST": "string[]",
}
JOIN_KEY_TYPES = {"INT64": "int64", "INT32": "int64", "STRING": "string", "BYTES": "bytes"}


class ConversionError(Exception):
    """Something of the Feast repo that Granary's registry cannot express."""


def duration(ttl):
    """A timedelta as Granary's duration string (whole seconds, largest exact unit)."""
    seconds = int(ttl.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def type_of(table, field, mapping, what):
    name = field.dtype.to_value_type().name
    if name not in mapping:
        raise ConversionError(
            f"{table}.{field.name}: Feast type {field.dtype} has no Granary {what} type "
            f"(supported: {', '.join(sorted(mapping))})"
        )
    return mapping[name]


def convert(store, default_max_age):
    entities, views = {}, []
    for fv in sorted(store.list_feature_views(), key=lambda v: v.name):
        keys = [
            {"name": c.name, "type": type_of(fv.name, c, JOIN_KEY_TYPES, "join key")}
            for c in fv.entity_columns
        ]
        if not keys:
            raise ConversionError(f"{fv.name}: a view without entities has no key in Granary")
        entity = "_".join(fv.entities) if fv.entities else fv.name
        known = entities.setdefault(entity, {"name": entity, "joinKeys": keys})
        if known["joinKeys"] != keys:
            raise ConversionError(f"{fv.name}: entity {entity} has other join keys in another view")
        ttl = fv.ttl if fv.ttl and fv.ttl > timedelta(0) else None
        if ttl is None and default_max_age is None:
            raise ConversionError(f"{fv.name}: no ttl; give --default-max-age for views without one")
        view = {"name": fv.name, "entity": entity, "maxAge": duration(ttl) if ttl else default_max_age}
        if fv.description:
            view["description"] = fv.description
        view["features"] = [
            {"name": f.name, "type": type_of(fv.name, f, VALUE_TYPES, "value")} for f in fv.features
        ]
        views.append(view)
    services = []
    for fs in sorted(store.list_feature_services(), key=lambda s: s.name):
        refs = [f"{p.name}:{f.name}" for p in fs.feature_view_projections for f in p.features]
        service = {"name": fs.name, "features": refs}
        if fs.description:
            service["description"] = fs.description
        services.append(service)
    registry = {"entities": list(entities.values()), "views": views}
    if services:
        registry["featureServices"] = services
    return registry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, help="the Feast repo (its feature_store.yaml), applied")
    parser.add_argument("--out", default="-", help="the registry file to write (default: stdout)")
    parser.add_argument("--default-max-age", help="maxAge of views without a ttl, e.g. 1d (default: none)")
    args = parser.parse_args(argv)
    try:
        registry = convert(FeatureStore(repo_path=args.repo), args.default_max_age)
    except ConversionError as error:
        print(f"feast_to_granary: {error}", file=sys.stderr)
        return 2
    text = "# Written by feast_to_granary.py from the Feast repo " + args.repo + "\n"
    text += yaml.safe_dump(registry, sort_keys=False, default_flow_style=None)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
