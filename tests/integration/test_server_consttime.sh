#!/usr/bin/env bash
# Every comparison of a key, id, signature, hash, secret or link value in the
# server goes through the one constant-time helper (sign_equal, CRYPTO_memcmp):
# no strcmp/strncmp/memcmp/bcmp/strcasecmp call in tools/server/*.c may take an
# argument whose name says it holds one. The SQL store compares in SQL and
# is not C code of ours to check (store_sqlite*.c). A planted offender must
# be caught, so the check itself is tested too.
set -uo pipefail
src="$DF_SOURCE_DIR/tools/server"
check() {
  /usr/bin/python3 - "$@" <<'PY'
import re, sys
SENSITIVE = {"id", "ids", "key", "keys", "sig", "signature", "hash", "secret", "token",
             "fingerprint", "expires", "owner", "instance", "account", "link", "digest", "hmac"}
call = re.compile(r"\b(strcmp|strncmp|memcmp|bcmp|strcasecmp|strncasecmp)\s*\(")
found = 0
for path in sys.argv[1:]:
    text = open(path).read()
    for m in call.finditer(text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0); i += 1
        args = text[m.end():i - 1]
        names = re.sub(r'"(\\.|[^"\\])*"', '""', args)  # a literal names nothing secret
        words = {w.lower() for t in re.findall(r"[A-Za-z_]\w*", names) for w in t.split("_") if w}
        hit = words & SENSITIVE
        if hit:
            line = text.count("\n", 0, m.start()) + 1
            print("%s:%d: %s(%s) compares %s: use sign_equal" % (path, line, m.group(1), args, ", ".join(sorted(hit))))
            found += 1
sys.exit(1 if found else 0)
PY
}
pass=0; fail=0
files=$(ls "$src"/*.c | grep -v '/store_sqlite')
if check $files; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: comparisons above are not constant-time"; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'int f(const char *sig, const char *b) { return strcmp(sig, b) || !strcmp(b, "key"); }\n' >"$tmp/planted.c"
if check "$tmp/planted.c" >/dev/null; then fail=$((fail+1)); echo "FAIL: the check missed a planted strcmp(sig, ...)"; else pass=$((pass+1)); fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
