#!/usr/bin/env python3
"""Regenerate models/*.json from the AWS service models that ship with botocore.

drydock's wire layer parses, validates and serializes every request from AWS's own
published service models (the botocore `service-2.json` files), never from hand-written
shapes. This script copies the models drydock serves into `models/`, dropping the
documentation strings (they are most of the bytes and the wire never reads them).

A few facts AWS publishes elsewhere are missing from botocore's copy (SQS's query-compatible
error codes live in the Smithy model's awsQueryError traits). They are kept as data in
`scripts/model-overlays.json`, merged into the shapes here in botocore's own form, and each
merge is recorded in the model's `metadata.drydockOverlay` with where its facts come from.

SQS serves the awsQuery protocol beside JSON; its query names (`queryModels` in the overlays) are
merged into a copy of the finished JSON model, written as `models/<id>-query.json`.

Usage: python3 scripts/update-models.py   (or `npm run models`)
Needs botocore importable (it comes with boto3 / the AWS CLI).
"""
import copy
import gzip
import json
import os
import sys

import botocore

# drydock service id -> (botocore service name, API version)
SERVICES = {
    "autoscaling": ("autoscaling", "2011-01-01"),
    "ec2": ("ec2", "2016-11-15"),
    "ecs": ("ecs", "2014-11-13"),
    "elbv2": ("elbv2", "2015-12-01"),
    "events": ("events", "2015-10-07"),
    "lambda": ("lambda", "2015-03-31"),
    "sns": ("sns", "2010-03-31"),
    "sqs": ("sqs", "2012-11-05"),
    "codedeploy": ("codedeploy", "2014-10-06"),
    "stepfunctions": ("stepfunctions", "2016-11-23"),
}

DROPPED_KEYS = {"documentation", "documentationUrl", "examples"}
SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
OVERLAYS = os.path.join(SCRIPTS_DIR, "model-overlays.json")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROPPED_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def load(path):
    if os.path.exists(path):
        with open(path, "rb") as f:
            return json.load(f)
    with gzip.open(path + ".gz", "rb") as f:
        return json.load(f)


def apply_overlay(service_id, model, overlay):
    """Merges an overlay's shape traits into the model. botocore's own values win: an overlay only
    fills in what the model lacks, and says so when botocore has caught up, so the entry can go.
    A shape the overlay names but the model no longer has is an error, not a silent skip."""
    for shape_name, traits in overlay["shapes"].items():
        shape = model["shapes"].get(shape_name)
        if shape is None:
            sys.exit(f"{service_id}: overlay names shape {shape_name}, which the model does not have")
        for trait, values in traits.items():
            current = shape.setdefault(trait, {})
            for key, value in values.items():
                if key not in current:
                    current[key] = value
                elif current[key] != value:
                    note = f"botocore has {current[key]!r}, the overlay {value!r}; botocore's kept"
                    print(f"{service_id}: {shape_name}.{trait}.{key}: {note}", file=sys.stderr)
                else:
                    print(f"{service_id}: {shape_name}.{trait}.{key} is in botocore now; drop it from the overlay",
                          file=sys.stderr)
    count = len(overlay["shapes"])
    model["metadata"]["drydockOverlay"] = f"scripts/model-overlays.json, {count} shapes: {overlay['source']}"


def merge_traits(node, traits, where):
    """Deep-merges trait dicts into a shape or member reference; a scalar the model already has
    with another value is an error (query names are added, never changed)."""
    for key, value in traits.items():
        if isinstance(value, dict):
            if key not in node or not isinstance(node[key], dict):
                if key in node:
                    sys.exit(f"{where}.{key}: the model has a {type(node[key]).__name__}, the overlay a dict")
                node[key] = {}
            if key == "members":
                missing = sorted(set(value) - set(node[key]))
                if missing:
                    sys.exit(f"{where}: overlay names members the model does not have: {', '.join(missing)}")
            merge_traits(node[key], value, f"{where}.{key}")
        elif key in node and node[key] != value:
            sys.exit(f"{where}.{key}: the model has {node[key]!r}, the overlay {value!r}")
        else:
            node[key] = value


def query_model(service_id, model, overlay):
    """The awsQuery twin of a JSON model: same operations and shapes, query names merged in."""
    derived = copy.deepcopy(model)
    derived["metadata"].update(overlay["metadata"])
    for key in ("jsonVersion", "targetPrefix", "awsQueryCompatible"):
        derived["metadata"].pop(key, None)
    for shape_name, traits in overlay["shapes"].items():
        shape = derived["shapes"].get(shape_name)
        if shape is None:
            sys.exit(f"{service_id}-query: overlay names shape {shape_name}, which the model does not have")
        merge_traits(shape, traits, f"{service_id}-query: {shape_name}")
    # awsQuery wraps every output in <OperationResult> (Smithy's awsQuery rule); botocore's query
    # parser finds it by the output's resultWrapper, which a JSON model has no use for.
    for name, operation in derived["operations"].items():
        if "output" in operation:
            operation["output"].setdefault("resultWrapper", f"{name}Result")
    derived["metadata"]["drydockQueryOverlay"] = f"scripts/model-overlays.json queryModels.{service_id}"
    return derived


def write_model(out_dir, file_id, model):
    with open(os.path.join(out_dir, f"{file_id}.json"), "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    data_dir = os.path.join(os.path.dirname(botocore.__file__), "data")
    out_dir = os.path.join(SCRIPTS_DIR, "..", "models")
    with open(OVERLAYS, "rb") as f:
        document = json.load(f)
    overlays = document["services"]
    query_overlays = document.get("queryModels", {})
    unknown = sorted((set(overlays) | set(query_overlays)) - set(SERVICES))
    if unknown:
        sys.exit(f"model-overlays.json names services this script does not copy: {', '.join(unknown)}")
    os.makedirs(out_dir, exist_ok=True)
    for service_id, (name, version) in SERVICES.items():
        model = strip(load(os.path.join(data_dir, name, version, "service-2.json")))
        model["metadata"]["drydockSource"] = f"botocore {botocore.__version__} data/{name}/{version}/service-2.json"
        if service_id in overlays:
            apply_overlay(service_id, model, overlays[service_id])
        write_model(out_dir, service_id, model)
        if service_id in query_overlays:
            write_model(out_dir, f"{service_id}-query", query_model(service_id, model, query_overlays[service_id]))
        print(f"{service_id:14} {len(model['operations']):4} operations  <- {name}/{version}", file=sys.stderr)


if __name__ == "__main__":
    main()
