import requests

files = [
    ("files", open("invoice1.pdf", "rb")),
    ("files", open("invoice2.pdf", "rb")),
    ("files", open("receipt.png", "rb")),
]

response = requests.post(
    "https://api.documentflowai.com/v1/batch",
    headers={"Authorization": "Bearer af_YOUR_API_KEY"},
    files=files,
    data={
        "webhook_url": "https://yourserver.com/webhook",
        "callback_id": "order_123",
    },
)

batch = response.json()
print(batch["batch_id"])   # e.g. "7dfd45b2-d7b7-40ba-9bbf-2995b5108f35"
print(batch["status"])     # "queued"
