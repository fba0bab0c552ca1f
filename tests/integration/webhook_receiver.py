"""webhook_receiver.py — the hosted API's verify_webhook.py as the webhook receiver of the tests.

usage: /usr/bin/python3 webhook_receiver.py PORT_FILE LOG_FILE [CERT KEY]

Serves the reference's handler (reference/verify_webhook.py, imported unchanged; its
WEBHOOK_SECRET set from the environment variable of that name, as a user sets it to the
printed secret) with Debian's FastAPI and uvicorn on 127.0.0.1, on a free port written to
PORT_FILE; over TLS with CERT and KEY. Every request is verified by handle_webhook and logged
to LOG_FILE as one JSON line: arrival time (monotonic and wall), path, headers, body (base64),
whether the handler accepted it, and the status answered. The path says how to answer a
verified delivery: /ok/TAG 200; /always500/TAG 500; /failN/TAG 500 to the first N deliveries
to that path, then 200; /redirect/TAG 302 to /redirected/TAG; /endless/TAG 200 and a body
that never ends; /hang/TAG nothing for 60 s. A delivery the handler refuses gets its 401.
With RECEIVER_SECRET_FILE set, WEBHOOK_SECRET is re-read from that file at each request
(after `docflow accounts rotate-secret`).
"""
import asyncio
import base64
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
import verify_webhook  # noqa: E402  the reference's handler, unchanged
import uvicorn  # noqa: E402
from fastapi import FastAPI, HTTPException, Request  # noqa: E402
from fastapi.responses import Response, StreamingResponse  # noqa: E402

verify_webhook.WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"]
app = FastAPI()
log = open(sys.argv[2], "a", buffering=1)
seen = {}


async def endless():
    chunk = b"x" * 65536
    while True:
        yield chunk
        await asyncio.sleep(0)


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT"])
async def receive(path: str, request: Request):
    arrived, wall = time.monotonic(), time.time()
    secret_file = os.environ.get("RECEIVER_SECRET_FILE")
    if secret_file and os.path.exists(secret_file):
        with open(secret_file) as f:
            verify_webhook.WEBHOOK_SECRET = f.read().strip()
    body = await request.body()
    try:
        await verify_webhook.handle_webhook(request)
        status = 200
    except HTTPException as e:
        status = e.status_code
    mode = path.split("/")[0]
    seen[path] = seen.get(path, 0) + (status == 200)
    answer = Response(status_code=status)
    if status == 200:
        if mode == "always500" or (mode.startswith("fail") and seen[path] <= int(mode[4:])):
            answer = Response(status_code=500)
        elif mode == "redirect":
            answer = Response(status_code=302, headers={"Location": "/redirected/" + path})
        elif mode == "endless":
            answer = StreamingResponse(endless(), status_code=200)
    log.write(json.dumps({"t": arrived, "wall": wall, "path": "/" + path, "method": request.method,
                          "headers": dict(request.headers), "body": base64.b64encode(body).decode(),
                          "verified": status == 200, "status": answer.status_code}) + "\n")
    if status == 200 and mode == "hang":
        await asyncio.sleep(60)
    return answer


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(sock.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
tls = {"ssl_certfile": sys.argv[3], "ssl_keyfile": sys.argv[4]} if len(sys.argv) > 4 else {}
uvicorn.Server(uvicorn.Config(app, log_level="warning", **tls)).run(sockets=[sock])
