results = requests.get(download_url).json()

for r in results:
    ext = r["extraction"]
    print(f"File {r['file_index']}: {ext['document_type']} — confidence {ext['confidence_score']:.0%}")

    if "financial" in ext:
        print(f"  Grand total: {ext['financial']['totals']['grand_total']}")
