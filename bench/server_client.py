"""server_client.py — one measured run against `docflow serve` for bench/server.sh.

Submits FILEs as one batch (or as K batches sent back to back: --split K),
polls every batch's status on one keep-alive session every 100 ms, timing
each GET, until all are complete; downloads every batch's results and
writes them, concatenated in submission order, to OUT.json. Prints one JSON
line: {"wall": seconds from the first byte sent to the last result
downloaded, "batches": [{"files", "estimated", "actual"}] (actual: seconds
from its 202 to the first poll that saw it complete), "busy_ms": [latencies
of the GETs answered while some batch was still queued or processing]}.

usage: server_client.py URL KEY OUT.json [--split K] FILE...
Run with Debian's /usr/bin/python3 (python3-requests).
"""
import json
import sys
import time

import requests


def submit(session, url, key, paths):
    files = [("files", (p.rsplit("/", 1)[-1], open(p, "rb"))) for p in paths]
    r = session.post(f"{url}/v1/batch", headers={"Authorization": f"Bearer {key}"},
                     files=files, timeout=600)
    for _, (_, fh) in files:
        fh.close()
    if r.status_code != 202:
        sys.exit(f"server_client.py: submit answered {r.status_code}: {r.text}")
    return r.json(), time.monotonic()


def main():
    url, key, out, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    split = 1
    if args[:1] == ["--split"]:
        split, args = int(args[1]), args[2:]
    session = requests.Session()
    chunks = [args[i * len(args) // split:(i + 1) * len(args) // split] for i in range(split)]
    t0 = time.monotonic()
    batches = []
    for paths in chunks:
        answer, accepted = submit(session, url, key, paths)
        batches.append({"id": answer["batch_id"], "files": len(paths), "accepted": accepted,
                        "estimated": answer["estimated_seconds"], "actual": None, "url": None})
    busy = []
    headers = {"Authorization": f"Bearer {key}"}
    while any(b["actual"] is None for b in batches):
        for b in batches:
            if b["actual"] is not None:
                continue
            s = time.monotonic()
            st = session.get(f"{url}/v1/batch/{b['id']}", headers=headers, timeout=60).json()
            e = time.monotonic()
            if st["status"] != "complete":
                busy.append((e - s) * 1000)
            else:
                b["actual"], b["url"] = e - b["accepted"], st["download_url"]
        time.sleep(0.1)
    results = []
    for b in batches:
        part = session.get(b["url"], timeout=600).json()
        if [r["file_index"] for r in part] != list(range(b["files"])):
            sys.exit(f"server_client.py: batch {b['id']}: results out of order or missing")
        results += part
    wall = time.monotonic() - t0
    with open(out, "w") as f:
        json.dump(results, f)
    print(json.dumps({"wall": wall, "busy_ms": busy,
                      "batches": [{k: b[k] for k in ("files", "estimated", "actual")}
                                  for b in batches]}))


if __name__ == "__main__":
    main()
