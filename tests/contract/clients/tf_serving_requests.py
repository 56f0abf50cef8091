"""A TF Serving REST client as Python users write one: requests, with bodies made by json.dumps and pandas.

Usage: tf_serving_requests.py BASE_URL MODEL. Prints one JSON object: for each call, the HTTP status
and the parsed answer. The frame has a missing number (NaN), which json.dumps writes as the bare
token NaN, as TF Serving's api_rest.md allows ("JSON conformance").
"""
import json
import sys

import numpy as np
import pandas as pd
import requests

base, model = sys.argv[1], sys.argv[2]
url = f"{base}/v1/models/{model}"
df = pd.DataFrame(
    {
        "Island": ["Biscoe", "Dream", "Torgersen"],
        "Beak Length (mm)": [47.5, 39.0, np.nan],
        "Beak Depth (mm)": [14.2, 18.5, 19.1],
        "Flipper Length (mm)": [215, 190, 181],
        "Body Mass (g)": [5300, 3650, 3750],
        "Sex": ["MALE", "FEMALE", "FEMALE"],
    }
)
rows = df.to_dict(orient="records")


def answer(r):
    try:
        body = r.json()
    except ValueError:
        body = r.text
    return {"status": r.status_code, "content_type": r.headers.get("content-type"), "body": body}


def get(path):
    return answer(requests.get(f"{url}{path}", timeout=30))


def post(path, obj, **kwargs):
    # json.dumps keeps NaN (requests' json= would refuse it); requests then sends no content type.
    return answer(requests.post(f"{url}{path}", data=json.dumps(obj), timeout=30, **kwargs))


out = {
    "status": get(""),
    "version_status": get("/versions/1"),
    "label_status": get("/labels/champion"),
    "metadata": get("/metadata"),
    "version_metadata": get("/versions/1/metadata"),
    "rows": post(":predict", {"instances": rows}),
    "rows_json_type": post(":predict", {"instances": rows}, headers={"Content-Type": "application/json"}),
    "columns": post(":predict", {"inputs": df.to_dict(orient="list")}),
    "signature": post(":predict", {"signature_name": "serving_default", "instances": rows}),
    "version": post("/versions/1:predict", {"instances": rows}),
    "label": post("/labels/champion:predict", {"instances": rows}),
    "bad_signature": post(":predict", {"signature_name": "classify_objects", "instances": rows}),
    "unknown_label": post("/labels/stable:predict", {"instances": rows}),
    "unknown_version": post("/versions/99:predict", {"instances": rows}),
    "infinity": post(":predict", {"instances": [dict(rows[0], **{"Body Mass (g)": float("inf")})]}),
    "both_forms": post(":predict", {"instances": rows, "inputs": df.to_dict(orient="list")}),
    "bad_json": answer(requests.post(f"{url}:predict", data='{"instances": [', timeout=30)),
    # api_rest.md's own 404: a model that is not there, whatever the body.
    "unknown_model": answer(requests.post(f"{base}/v1/models/half:predict", data='{"instances": [1.0,5.0]}', timeout=30)),
    "unknown_model_bad_body": answer(requests.post(f"{base}/v1/models/half:predict", data="not json", headers={"Content-Type": "text/plain"}, timeout=30)),
    "unknown_verb": post(":classify", {"examples": rows}),
}
print(json.dumps(out))
