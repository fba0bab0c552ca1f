"""openapi_check.py — the server's real answers against docs/openapi.yaml (python3-jsonschema).

Used by test_server_openapi.sh (not a test itself). usage:
  openapi_check.py SPEC ANSWERS_DIR [--no-webhooks] [--unit-reached FILE]

ANSWERS_DIR/index has one line per answer the shell test recorded, tab-separated:
  N  METHOD  TARGET  STATUS  CODE
TARGET is a path template of SPEC (`/v1/batch/{batch_id}`) for an answer of that operation, or
`component:NAME` for an answer of no operation (an unknown path: NotFound; a method a path lacks:
MethodNotAllowed), validated against components/responses/NAME. STATUS is the status the scenario
must reach; CODE the error code it must carry (`-` for none). N.head and N.body are curl's -D and -o
files. ANSWERS_DIR/webhooks/*.json, when there, are webhook deliveries a receiver recorded
({"headers": {...}, "body": "<base64>"}), validated against SPEC's `webhooks`.

Each answer: the status and code are the scenario's; the status is documented for the operation;
the Content-Type is the documented media type; the body validates against its schema, every
object closed (each object schema of SPEC must say additionalProperties, and says false, or
declares patternProperties with additionalProperties false); an error's code is one the response
lists in its examples; every required header is there, every header sent is documented (or one
of HTTP's own: Date, Content-Length, Connection, Transfer-Encoding, Keep-Alive) and validates
against its schema. HEAD answers are checked as their GET's, without a body.

Coverage, each a failure when short:
- every (METHOD, path, status) that SPEC documents, but 500 and 507, was reached; pairs a shell test
  cannot reach are listed in UNIT_REACHED with the unit test that does, which must still exist;
- every error code that each such response lists was reached on that operation;
- every property of every object schema the answers use appeared in some answer (except, with
  --no-webhooks, what only a server that delivers webhooks sends);
- the metrics answer exports exactly the metric families the documented example lists.
Prints one line per problem and a summary; exits 1 when there is a problem.
"""
import base64
import json
import os
import re
import sys
import warnings

import jsonschema
import yaml

warnings.filterwarnings("ignore", category=DeprecationWarning)

# (METHOD, path, status) -> (unit test source, START_TEST name, code): reached by a unit test
# because a shell test cannot make the live server's store fail: /healthz's 503 needs the
# store's read to fail while the server runs, which only a store whose operations table is
# swapped (tests/unit/test_server_http.c) does deterministically.
UNIT_REACHED = {
    ("GET", "/healthz", "503"): ("tests/unit/test_server_http.c", "store_unavailable",
                                  "store_unavailable"),
}
EXCLUDED_STATUSES = {"500", "507"}  # a bug or a failing store; a full disk (tried when possible)
HTTP_OWN = {"date", "content-length", "connection", "transfer-encoding", "keep-alive"}
WEBHOOK_ONLY = ["#/components/schemas/BatchStatus/properties/webhook",
                "#/components/schemas/WebhookStatus", "#/components/schemas/WebhookPayload"]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

problems = []


def problem(msg):
    problems.append(msg)
    print("FAIL: " + msg)


def pointer_get(doc, ref):
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = pointer_get(doc, node["$ref"])
    return node


def esc(key):
    return key.replace("~", "~0").replace("/", "~1")


# ---- the spec's object schemas: closed, and their properties --------------------------------

def all_schema_pointers(spec):
    """id(dict) -> JSON pointer, for every dict in the spec (the validator sees these objects)."""
    ids = {}

    def walk(node, ptr):
        if isinstance(node, dict):
            ids.setdefault(id(node), ptr)
            for k, v in node.items():
                walk(v, ptr + "/" + esc(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (ptr, i))
    walk(spec, "#")
    return ids


def check_closed(spec):
    """Every object schema of the spec declares additionalProperties: false."""
    def schema(node, ptr):
        if not isinstance(node, dict) or "$ref" in node:
            return
        types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "object" in types and node.get("additionalProperties") is not False:
            problem("%s: an object schema that is not closed (additionalProperties: false)" % ptr)
        for key in ("properties", "patternProperties"):
            for k, sub in (node.get(key) or {}).items():
                schema(sub, "%s/%s/%s" % (ptr, key, esc(k)))
        for key in ("items", "then", "else", "not", "if"):
            schema(node.get(key), ptr + "/" + key)
        for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
            for i, sub in enumerate(node.get(key) or []):
                schema(sub, "%s/%s/%d" % (ptr, key, i))

    def find(node, ptr):  # every `schema` of a media type, parameter or header
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "schema":
                    schema(v, ptr + "/schema")
                elif k not in ("examples", "example", "schemas"):
                    find(v, ptr + "/" + esc(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                find(v, "%s/%d" % (ptr, i))
    for name, s in spec["components"]["schemas"].items():
        schema(s, "#/components/schemas/" + esc(name))
    find(spec, "#")


def documented_properties(spec, roots, skip):
    """(object schema pointer, property) of every property reachable from the root schemas,
    but those under a pointer in skip and those whose schema is a boolean."""
    out, seen = set(), set()

    def walk(node, ptr):
        if any(ptr == s or ptr.startswith(s + "/") for s in skip):
            return
        if isinstance(node, dict) and "$ref" in node:
            target = node["$ref"]
            if target not in seen:
                seen.add(target)
                walk(pointer_get(spec, target), target)
            return
        if not isinstance(node, dict):
            return
        for k, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                p = ptr + "/properties/" + esc(k)
                if not any(p == s or p.startswith(s + "/") for s in skip):
                    out.add((ptr, k))
                walk(sub, p)
        for k, sub in (node.get("patternProperties") or {}).items():
            walk(sub, ptr + "/patternProperties/" + esc(k))
        for key in ("items", "then", "else", "not", "if"):
            if isinstance(node.get(key), dict):
                walk(node[key], ptr + "/" + key)
        for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
            for i, sub in enumerate(node.get(key) or []):
                walk(sub, "%s/%s/%d" % (ptr, key, i))
    for r in roots:
        walk(r[1], r[0])
    return out


# ---- validation ---------------------------------------------------------------------------

def make_validator_class(seen_props, ids):
    base = jsonschema.Draft202012Validator
    original = base.VALIDATORS["properties"]

    def properties(validator, props, instance, schema):
        if validator.is_type(instance, "object"):
            ptr = ids.get(id(schema))
            for k in props:
                if k in instance and ptr:
                    seen_props.add((ptr, k))
        yield from original(validator, props, instance, schema)
    return jsonschema.validators.extend(base, {"properties": properties})


def parse_head(path):
    """(status, {lowercase name: [values]}) of the last header block curl wrote."""
    with open(path, "rb") as f:
        text = f.read().decode("latin-1")
    blocks = [b for b in re.split(r"\r?\n\r?\n", text) if b.startswith("HTTP/")]
    if not blocks:
        return None, {}
    lines = blocks[-1].splitlines()
    status = lines[0].split()[1]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers.setdefault(k.strip().lower(), []).append(v.strip())
    return status, headers


def header_value(schema, raw):
    if schema.get("type") == "integer":
        return int(raw) if re.fullmatch(r"-?[0-9]+", raw) else raw
    return raw


def main():
    args = sys.argv[1:]
    spec_path, answers = args[0], args[1]
    no_webhooks = "--no-webhooks" in args
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ids = all_schema_pointers(spec)
    resolver = jsonschema.RefResolver(base_uri="", referrer=spec)
    seen_props = set()
    V = make_validator_class(seen_props, ids)
    check_closed(spec)

    def validate(schema, instance, what):
        errs = sorted(V(schema, resolver=resolver).iter_errors(instance), key=lambda e: e.path)
        for e in errs[:5]:
            # under oneOf/anyOf: the branch of the right type says what is wrong
            deepest = next((c for c in e.context if c.validator != "type"), None)
            why = e.message[:200] + (" (%s)" % deepest.message[:200] if deepest else "")
            problem("%s: %s at /%s" % (what, why, "/".join(map(str, e.absolute_path))))
        return not errs

    roots = []          # (pointer, schema) of every schema an answer was validated against
    reached = set()     # (METHOD, path, status)
    reached_codes = set()  # (METHOD, path, status, code)
    metrics_families = None
    n_answers = 0

    with open(os.path.join(answers, "index"), encoding="utf-8") as f:
        index = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for n, method, target, want, want_code in index:
        n_answers += 1
        label = "#%s %s %s (want %s%s)" % (n, method, target, want,
                                           "" if want_code == "-" else " " + want_code)
        status, headers = parse_head(os.path.join(answers, n + ".head"))
        with open(os.path.join(answers, n + ".body"), "rb") as bf:
            body = bf.read()
        if status != want:
            problem("%s: the server answered %s: %s" % (label, status, body[:300]))
            continue
        head = method == "HEAD"
        if target.startswith("component:"):
            rptr = "#/components/responses/" + target.split(":", 1)[1]
            resp = pointer_get(spec, rptr)
        else:
            op_method = "get" if head else method.lower()
            op = (spec["paths"].get(target) or {}).get(op_method)
            if op is None:
                problem("%s: no such operation in the spec" % label)
                continue
            resp = op["responses"].get(status)
            if resp is None:
                problem("%s: status %s is not documented for %s %s" % (label, status,
                                                                       op_method.upper(), target))
                continue
            rptr = ("#/paths/%s/%s/responses/%s" % (esc(target), op_method, status))
            if "$ref" in resp:
                rptr = resp["$ref"]
            resp = deref(spec, resp)
            reached.add(("GET" if head else method, target, status))
        # headers
        documented = {k.lower(): deref(spec, h) for k, h in (resp.get("headers") or {}).items()}
        for name, h in documented.items():
            if h.get("required") and name not in headers:
                problem("%s: the required header %s is missing" % (label, name))
        for name, values in headers.items():
            if name in HTTP_OWN or name == "content-type":
                continue
            if name not in documented:
                problem("%s: the header %s is not documented for this response" % (label, name))
                continue
            for v in values:
                validate(documented[name].get("schema", {}), header_value(
                    documented[name].get("schema", {}), v), "%s: header %s" % (label, name))
        # content
        content = resp.get("content") or {}
        ctype = (headers.get("content-type") or [None])[0]
        if not content:
            if body or ctype:
                problem("%s: a body (%s) where none is documented" % (label, ctype))
            continue
        media = None
        for key in content:
            if (ctype == key) if ";" in key else (ctype or "").split(";")[0].strip() == key:
                media = key
        if media is None:
            problem("%s: Content-Type %s is not one of %s" % (label, ctype, list(content)))
            continue
        if head:
            if body:
                problem("%s: HEAD answered with a body" % label)
            continue
        mt = content[media]
        schema = mt.get("schema", {})
        roots.append((rptr + "/content/" + esc(media) + "/schema", schema))
        if media.startswith("application/json"):
            try:
                instance = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                problem("%s: not JSON: %s" % (label, e))
                continue
            ok = validate(schema, instance, label)
            codes = {(deref(spec, ex).get("value") or {}).get("error", {}).get("code")
                     for ex in (mt.get("examples") or {}).values()} - {None}
            if isinstance(instance, dict) and isinstance(instance.get("error"), dict):
                code = instance["error"].get("code")
                if codes and code not in codes:
                    problem("%s: error code %s is not one this response lists (%s)"
                            % (label, code, sorted(codes)))
                if want_code != "-" and code != want_code:
                    problem("%s: the scenario wanted code %s, got %s" % (label, want_code, code))
                if ok and not target.startswith("component:"):
                    reached_codes.add((method, target, status, code))
            elif want_code != "-":
                problem("%s: no error object" % label)
        else:
            text = body.decode("utf-8")
            validate(schema, text, label)
            if target == "/metrics":
                fams = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
                ex = set()
                for e in (mt.get("examples") or {}).values():
                    ex |= set(re.findall(r"^# TYPE (\S+) ", deref(spec, e)["value"], re.M))
                metrics_families = (fams, ex)

    # webhook deliveries a receiver recorded
    hook_dir = os.path.join(answers, "webhooks")
    deliveries = sorted(os.listdir(hook_dir)) if os.path.isdir(hook_dir) else []
    for name in deliveries:
        with open(os.path.join(hook_dir, name), encoding="utf-8") as f:
            rec = json.load(f)
        op = spec["webhooks"]["batchCompleted"]["post"]
        label = "webhook delivery %s" % name
        hdrs = {k.lower(): v for k, v in rec["headers"].items()}
        for p in op.get("parameters", []):
            p = deref(spec, p)
            if p["in"] != "header":
                continue
            v = hdrs.get(p["name"].lower())
            if v is None:
                if p.get("required"):
                    problem("%s: the header %s is missing" % (label, p["name"]))
                continue
            validate(p["schema"], header_value(p["schema"], v), "%s: header %s" % (label, p["name"]))
        media = op["requestBody"]["content"]
        ctype = hdrs.get("content-type", "").split(";")[0].strip()
        if ctype not in media:
            problem("%s: Content-Type %s is not one of %s" % (label, ctype, list(media)))
            continue
        schema = media[ctype]["schema"]
        roots.append(("#/webhooks/batchCompleted/post/requestBody/content/%s/schema" % esc(ctype),
                      schema))
        validate(schema, json.loads(base64.b64decode(rec["body"]).decode("utf-8")), label)

    # ---- coverage ----------------------------------------------------------------------------
    documented_pairs, documented_codes = set(), set()
    for path, item in spec["paths"].items():
        for m in METHODS:
            if m not in item:
                continue
            for st, resp in item[m]["responses"].items():
                if st in EXCLUDED_STATUSES or not st.isdigit():
                    continue
                documented_pairs.add((m.upper(), path, st))
                mt = (deref(spec, resp).get("content") or {}).get("application/json") or {}
                for ex in (mt.get("examples") or {}).values():
                    code = ((deref(spec, ex).get("value") or {}).get("error") or {}).get("code")
                    if code:
                        documented_codes.add((m.upper(), path, st, code))
    for pair, (src, test, code) in UNIT_REACHED.items():
        try:
            with open(os.path.join(top, src), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            text = ""
        if ("START_TEST(%s)" % test) not in text or ('"%s"' % code) not in text or pair[2] not in text:
            problem("%s %s %s is counted as reached by %s %s, which no longer tests it"
                    % (pair + (src, test)))
        else:
            reached.add(pair)
            reached_codes.add(pair + (code,))
    missing = sorted(documented_pairs - reached)
    for m, p, st in missing:
        problem("no test reached %s %s %s" % (m, p, st))
    missing_codes = sorted(documented_codes - reached_codes)
    for m, p, st, code in missing_codes:
        problem("no test reached %s %s %s %s" % (m, p, st, code))
    skip = WEBHOOK_ONLY if no_webhooks else []
    if no_webhooks:
        print("note: this server delivers no webhooks: %s not checked" % ", ".join(WEBHOOK_ONLY))
    elif not deliveries:
        problem("no webhook delivery was recorded")
    documented_props = documented_properties(spec, roots, skip)
    for ptr, prop in sorted(documented_props - seen_props):
        problem("the documented property %s of %s appeared in no answer" % (prop, ptr))
    if metrics_families is None:
        problem("no metrics answer was checked")
    else:
        fams, ex = metrics_families
        for f in sorted(fams - ex):
            problem("the metric family %s is not in the documented example" % f)
        for f in sorted(ex - fams):
            problem("the documented metric family %s is not exported" % f)

    unit = sorted("%s %s %s (%s %s)" % (k + v[:2]) for k, v in UNIT_REACHED.items())
    print("openapi: %d answers, %d deliveries; %d of %d (route, status) pairs reached (500 and 507 "
          "excluded; by a unit test: %s); %d of %d error codes; %d of %d properties seen"
          % (n_answers, len(deliveries), len(documented_pairs & reached), len(documented_pairs),
             "; ".join(unit), len(documented_codes & reached_codes), len(documented_codes),
             len(documented_props & seen_props), len(documented_props)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
