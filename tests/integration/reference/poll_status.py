import time, requests

API_KEY = "af_YOUR_API_KEY"
batch_id = "7dfd45b2-d7b7-40ba-9bbf-2995b5108f35"

while True:
    r = requests.get(
        f"https://api.documentflowai.com/v1/batch/{batch_id}",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    data = r.json()
    print(f"{data['percent']}% complete ({data['processed']}/{data['total']} files)")

    if data["status"] == "complete":
        download_url = data["download_url"]
        break

    time.sleep(3)
