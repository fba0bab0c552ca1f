"""server_clients.py — N clients at once against `docflow serve`, each with its
own key: submit a batch of its own files, poll, download, and check that the
results are exactly its own (its batch id in every file_key, its files in its
order, the extraction each file gives on its own). Used by
test_server_load.sh; run with Debian's /usr/bin/python3 (python3-requests).

usage: server_clients.py URL EXPECTED.json KEY... (one client per key)
EXPECTED.json: {"files": [path, ...], "results": {path: {"document_type",
"error", "grand_total"}}} — what `docflow extract` says of each file.
"""
import json
import sys
import threading
import time

import requests


def check(cond, what, errors):
    if not cond:
        errors.append(what)


def client(i, url, key, expected, errors):
    pool = expected["files"]
    mine = [pool[(i + k) % len(pool)] for k in range(1 + i % 4)]
    files = [("files", (f"client{i}_{k}" + p[p.rfind("."):], open(p, "rb")))
             for k, p in enumerate(mine)]
    headers = {"Authorization": f"Bearer {key}"}
    r = requests.post(f"{url}/v1/batch", headers=headers, files=files,
                      data={"callback_id": f"client_{i}"}, timeout=120)
    for _, (_, fh) in files:
        fh.close()
    if r.status_code != 202:
        errors.append(f"client {i}: submit {r.status_code} {r.text}")
        return
    batch_id = r.json()["batch_id"]
    deadline = time.time() + 600
    while time.time() < deadline:
        s = requests.get(f"{url}/v1/batch/{batch_id}", headers=headers, timeout=60).json()
        if s["status"] == "complete":
            break
        time.sleep(0.2)
    else:
        errors.append(f"client {i}: batch {batch_id} not complete")
        return
    check(s["callback_id"] == f"client_{i}", f"client {i}: callback_id {s['callback_id']}", errors)
    results = requests.get(s["download_url"], timeout=60).json()
    check(len(results) == len(mine), f"client {i}: {len(results)} results for {len(mine)} files",
          errors)
    for k, (res, path) in enumerate(zip(results, mine)):
        ext = path[path.rfind(".") + 1:]
        want = expected["results"][path]
        got = {"document_type": res["extraction"]["document_type"],
               "error": res.get("error", {}).get("code"),
               "grand_total": res["extraction"]["financial"]["totals"]["grand_total"]}
        check(res["file_index"] == k, f"client {i}: file_index {res['file_index']} at {k}", errors)
        check(res["file_key"].startswith(f"batch/{batch_id}/input/{k:04d}."),
              f"client {i}: file_key {res['file_key']} not its own", errors)
        check(got == want, f"client {i}: file {k} ({path}, .{ext}) gave {got}, alone {want}",
              errors)


def main():
    url, expected_path, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(expected_path) as f:
        expected = json.load(f)
    errors = []
    threads = [threading.Thread(target=client, args=(i, url, k, expected, errors))
               for i, k in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors:
        print("FAIL:", e)
    print(f"{len(keys)} clients, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
