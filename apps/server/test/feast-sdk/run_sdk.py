"""Drives Feast's own SDK against a Granary server, unchanged: apply the repo, write_to_online_store and push, then
get_online_features (feature names short and full, by feature list and by feature service). Prints one JSON
document with what the SDK returned; test/feast-sdk.test.ts checks it.

Usage: python run_sdk.py <repo dir with feature_store.yaml> <event time, ISO-8601 UTC>
"""

import json
import sys
from datetime import datetime

import feast
import pandas as pd
from feast import FeatureStore
from feast.data_source import PushMode
from feast.protos.feast.serving.ServingService_pb2 import FieldStatus

sys.path.insert(0, sys.argv[1])
from features import OBJECTS, driver_activity  # noqa: E402


def answer(response):
    """The SDK's answer: values by name (to_dict), and the status of each value by name."""
    proto = response.proto
    names = list(proto.metadata.feature_names.val)
    statuses = {
        name: [FieldStatus.Name(s) for s in proto.results[i].statuses] for i, name in enumerate(names)
    }
    return {"values": response.to_dict(), "statuses": statuses}


def main():
    repo, event_time = sys.argv[1], sys.argv[2]
    store = FeatureStore(repo_path=repo)
    store.apply(OBJECTS)
    ts = pd.Timestamp(datetime.fromisoformat(event_time.replace("Z", "+00:00")))
    store.write_to_online_store(
        "driver_stats",
        pd.DataFrame(
            {
                "driver_id": [1001, 1002],
                "conv_rate": [0.1, 0.75],
                "acc_rate": [0.5, 0.25],
                "trips": [12, 7],
                "city": ["Berlin", "Paris"],
                "active": [True, False],
                "event_timestamp": [ts, ts],
            }
        ),
    )
    store.push(
        "trip_push",
        pd.DataFrame(
            {"driver_id": [1001], "trip_id": ["t1"], "fare": [17.5], "event_timestamp": [ts]}
        ),
        to=PushMode.ONLINE,
    )
    rows = [{"driver_id": 1001}, {"driver_id": 1002}, {"driver_id": 9999}]
    features = ["driver_stats:conv_rate", "driver_stats:acc_rate", "driver_stats:trips",
                "driver_stats:city", "driver_stats:active"]
    trip_rows = [{"driver_id": 1001, "trip_id": "t1"}, {"driver_id": 1002, "trip_id": "t2"}]
    out = {
        "feast_version": feast.__version__,
        "plain": answer(store.get_online_features(features=features, entity_rows=rows)),
        "full": answer(
            store.get_online_features(features=features, entity_rows=rows, full_feature_names=True)
        ),
        "service": answer(
            store.get_online_features(features=driver_activity, entity_rows=trip_rows)
        ),
        "service_full": answer(
            store.get_online_features(
                features=store.get_feature_service("driver_activity"),
                entity_rows=trip_rows,
                full_feature_names=True,
            )
        ),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
