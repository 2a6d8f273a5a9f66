# Loads every table of a run folder with pandas, as a user would, and into SQLite with the
# datapackage's primary key; prints one JSON object of what it found (test/io/interop.test.ts).
import json, sqlite3, sys
import pandas as pd

folder = sys.argv[1]
package = json.load(open(f"{folder}/datapackage.json"))
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}
PANDAS_TYPES = {"integer": "int64", "number": "float64", "string": "string"}
out = {}
db = sqlite3.connect(":memory:")
for res in package["resources"]:
    fields = res["schema"]["fields"]
    key = res["schema"].get("primaryKey", [])
    path = f"{folder}/{res['path']}"
    plain = pd.read_csv(path)  # no options: pandas' own defaults
    dates = [f["name"] for f in fields if f["type"] == "date"]
    typed = pd.read_csv(path, dtype={f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] in PANDAS_TYPES})
    for d in dates:
        typed[d] = pd.to_datetime(typed[d], format="%Y-%m-%d")
    info = {
        "rows": len(plain),
        "columns": list(plain.columns),
        "nullsInKey": int(plain[key].isna().sum().sum()) if key else 0,
        "duplicateKeys": int(plain.duplicated(subset=key).sum()) if key else 0,
        "dtypes": {c: str(t) for c, t in typed.dtypes.items()},
        "nullCells": int(typed.isna().sum().sum()),
    }
    if "metric" in plain.columns and "region" in plain.columns:
        by = [c for c in ["point", "metric", "region"] if c in plain.columns]
        info["series"] = int(plain.groupby(by).ngroups)
        info["seriesRows"] = int(plain.groupby(by).size().sum())
    cols = ", ".join(f'"{f["name"]}" {SQL_TYPES[f["type"]]}{" NOT NULL" if f["name"] in key else ""}' for f in fields)
    pk = f', PRIMARY KEY ({", ".join(chr(34) + k + chr(34) for k in key)})' if key else ""
    db.execute(f'CREATE TABLE "{res["name"]}" ({cols}{pk})')
    rows = [tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in r) for r in plain.itertuples(index=False)]
    try:
        db.executemany(f'INSERT INTO "{res["name"]}" VALUES ({", ".join("?" * len(fields))})', rows)
        info["sqlRows"] = db.execute(f'SELECT COUNT(*) FROM "{res["name"]}"').fetchone()[0]
    except sqlite3.Error as err:
        info["sqlError"] = str(err)
    # a few whole rows as pandas read them (first, middle, last), to compare with the CSV's cells
    info["sample"] = {str(i): list(rows[i]) for i in sorted({0, len(rows) // 2, len(rows) - 1}) if len(rows)}
    out[res["name"]] = info
print(json.dumps(out))
