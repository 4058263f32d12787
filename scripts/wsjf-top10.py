"""The same WSJF top 10 as `prio rank --strategy wsjf --top 10`, in standard-library Python.

Reads a CSV with the columns id, title, status, value, time-criticality, risk-reduction,
points and size (as `prio export --format csv --all --strategy manual --columns ...` writes
them, in manual order) and prints the ten stories with the highest
(value + time-criticality + risk-reduction) / size (size falls back to points), done
stories left out, ties in manual order. Floats, the fastest plain Python (prio's exact
fractions would make it four times slower), so the comparison does not favour prio; the
benchmark checks that the top 10 is prio's. The yardstick of scripts/bench-cli.sh.
"""
import csv
import sys

rows = []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for order, row in enumerate(csv.DictReader(f)):
        if row["status"] == "done":
            continue
        try:
            cost = float(row["value"]) + float(row["time-criticality"]) + float(row["risk-reduction"])
            size = float(row["size"] or row["points"])
        except ValueError:
            continue
        if size <= 0:
            continue
        rows.append((-(cost / size), order, row["id"], row["title"]))
rows.sort()
for score, _, story, title in rows[:10]:
    print(f"{story}\t{title}\t{-score:.2f}")
