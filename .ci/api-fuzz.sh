#!/usr/bin/env bash
# API fuzzing with schemathesis (PyPI) against a running Aimaq: every check, the description
# in /api/v1/openapi.json against the server, anonymous and with the API tokens of an akimat
# officer and a maslikhat deputy. Fails on any finding.
# Usage: .ci/api-fuzz.sh BINARY DATA_FOLDER BASE_URL   (the server serves DATA_FOLDER at BASE_URL)
set -euo pipefail
BIN=$1 DATA=$2 BASE=$3
here=$(cd "$(dirname "$0")" && pwd)
venv=${AIMAQ_FUZZ_VENV:-/tmp/aimaq-fuzz-venv}
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
token() { "$BIN" user token --data "$DATA" --email "$1" --name "api fuzzing $(date +%s)" 2>/dev/null | tr -d '[:space:]'; }
run() {  # label, extra arguments…
    echo "--- schemathesis ($1)"
    "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
        --url "$BASE/api/v1" --checks all --max-examples "${FUZZ_EXAMPLES:-40}" --generation-deterministic "${@:2}"
}
run anonymous
for email in akimat.shieli@demo.aimaq.kz maslikhat.kyzylorda@demo.aimaq.kz; do
    t=$(token "$email")
    [[ "$t" == aimaq_* ]] || { echo "api-fuzz: no token for $email"; exit 1; }
    run "token of $email" --header "Authorization: Bearer $t"
done
echo "api-fuzz: no findings"
