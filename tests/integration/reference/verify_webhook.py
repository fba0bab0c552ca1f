import hmac, hashlib
from fastapi import Request, HTTPException

WEBHOOK_SECRET = "your_webhook_signing_secret"

async def handle_webhook(request: Request):
    body = await request.body()
    sig_header = request.headers.get("x-webhook-signature", "")

    expected = "sha256=" + hmac.new(
        WEBHOOK_SECRET.encode(), body, hashlib.sha256
    ).hexdigest()

    if not hmac.compare_digest(expected, sig_header):
        raise HTTPException(status_code=401, detail="Invalid signature")

    payload = await request.json()
    download_url = payload["download_url"]
    # fetch and process results...
