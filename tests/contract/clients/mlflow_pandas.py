"""An MLflow scoring client as pandas users write one: frames serialised by pandas, sent by requests.

Usage: mlflow_pandas.py URL, where URL is an /invocations endpoint. Prints one JSON object: for each
way of sending, the HTTP status and the parsed answer. The frame has a missing number and a missing
category (NaN), which json.dumps writes as the bare token NaN.
"""
import json
import sys

import numpy as np
import pandas as pd
import requests

url = sys.argv[1]
df = pd.DataFrame(
    {
        "Island": ["Biscoe", "Dream", "Torgersen"],
        "Beak Length (mm)": [47.5, 39.0, np.nan],
        "Beak Depth (mm)": [14.2, 18.5, 19.1],
        "Flipper Length (mm)": [215, 190, 181],
        "Body Mass (g)": [5300, 3650, 3750],
        "Sex": ["MALE", np.nan, "FEMALE"],
    }
)
JSON = {"Content-Type": "application/json"}


def send_json(obj):
    """As MLflow's docs do: json.dumps (requests' json= refuses NaN) with a JSON content type."""
    return send(data=json.dumps(obj), headers=JSON)


def send(**kwargs):
    r = requests.post(url, timeout=30, **kwargs)
    try:
        body = r.json()
    except ValueError:
        body = r.text
    return {"status": r.status_code, "content_type": r.headers.get("content-type"), "body": body}


split = df.to_dict(orient="split")
out = {
    # MLflow's documented Python example, with a frame's to_dict: NaN goes out as the NaN token.
    "split_dict": send_json({"dataframe_split": split}),
    "split_to_json": send(data=json.dumps({"dataframe_split": json.loads(df.to_json(orient="split"))}), headers=JSON),
    "records_nan": send(data=json.dumps({"dataframe_records": df.to_dict(orient="records")}), headers=JSON),
    "csv": send(data=df.to_csv(index=False), headers={"Content-Type": "text/csv"}),
    # Missing values as other writers mark them, which pandas.read_csv (MLflow's reader) takes as NaN:
    # na_rep="NaN", and R's write.csv, which writes NA.
    "csv_nan": send(data=df.to_csv(index=False, na_rep="NaN"), headers={"Content-Type": "text/csv"}),
    "csv_r_na": send(data=df.to_csv(index=False, na_rep="NA"), headers={"Content-Type": "text/csv"}),
    "pandas_split_format": send(data=df.to_json(orient="split"), headers={"Content-Type": "application/json; format=pandas-split"}),
    "records_format": send(data=df.to_json(orient="records"), headers={"Content-Type": "application/json; format=pandas-records"}),
    "instances": send_json({"instances": df.to_dict(orient="records")}),
    "inputs_columns": send_json({"inputs": df.to_dict(orient="list")}),
    "with_params": send_json({"dataframe_split": split, "params": {"threshold": 0.5}}),
    "no_content_type": send(data=json.dumps({"dataframe_records": df.to_dict(orient="records")})),
    "infinity": send(data=json.dumps({"dataframe_records": [dict(df.to_dict(orient="records")[0], **{"Body Mass (g)": float("inf")})]}), headers=JSON),
    "no_form": send(json={"rows": []}),
    "bad_csv_type": send(data="<x/>", headers={"Content-Type": "application/xml"}),
}
print(json.dumps(out))
