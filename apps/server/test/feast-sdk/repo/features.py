"""A tiny Feast repo mirrored by granary-registry.yaml: two entities, two feature views (one keyed by both
entities: several join keys) and a feature service. The Feast SDK test applies it to a local registry whose online store is Granary."""

from datetime import timedelta

from feast import Entity, FeatureService, FeatureView, Field, FileSource, PushSource, ValueType
from feast.types import Bool, Float32, Float64, Int64, String

driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
# Feast entities have one join key each; a view keyed by two takes two entities (Granary: one composite entity).
trip = Entity(name="trip", join_keys=["trip_id"], value_type=ValueType.STRING)

driver_stats = FeatureView(
    name="driver_stats",
    entities=[driver],
    ttl=timedelta(hours=1),
    schema=[
        Field(name="driver_id", dtype=Int64),
        Field(name="conv_rate", dtype=Float32),
        Field(name="acc_rate", dtype=Float64),
        Field(name="trips", dtype=Int64),
        Field(name="city", dtype=String),
        Field(name="active", dtype=Bool),
    ],
    source=FileSource(path="data/driver_stats.parquet", timestamp_field="event_timestamp"),
    online=True,
)

trip_stats = FeatureView(
    name="trip_stats",
    entities=[driver, trip],
    ttl=timedelta(hours=1),
    schema=[
        Field(name="driver_id", dtype=Int64),
        Field(name="trip_id", dtype=String),
        Field(name="fare", dtype=Float64),
    ],
    # Written with store.push: through a remote online store that is /write-to-online-store too.
    source=PushSource(
        name="trip_push",
        batch_source=FileSource(path="data/trip_stats.parquet", timestamp_field="event_timestamp"),
    ),
    online=True,
)

driver_activity = FeatureService(
    name="driver_activity",
    features=[driver_stats[["conv_rate", "trips"]], trip_stats],
)

OBJECTS = [driver, trip, driver_stats, trip_stats, driver_activity]
