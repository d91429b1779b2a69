#!/usr/bin/env bash
# The typed TypeScript client (clients/typescript/), generated from the API's OpenAPI
# document, dumped without a server (django-ninja's export_openapi_schema):
#   scripts/client.sh generate   rewrite openapi.json and src/schema.d.ts
#   scripts/client.sh check      fail if they differ from what the code generates now,
#                                if the client's major version is not the API's, or
#                                if the client or the front end does not type-check
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CLIENT=clients/typescript
mode=${1:-check}

[ -d node_modules/openapi-typescript ] || npm ci --no-audit --no-fund --loglevel error

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Any settings module works: the document depends on the code only.
DJANGO_SETTINGS_MODULE=cms.settings.test "$PY" manage.py export_openapi_schema \
  --api cms.api.api --indent 2 --sorted --output "$out/openapi.json"
echo >> "$out/openapi.json"
npx --no-install openapi-typescript "$out/openapi.json" -o "$out/schema.d.ts" --silent

if [ "$mode" = generate ]; then
  cp "$out/openapi.json" "$CLIENT/openapi.json"
  cp "$out/schema.d.ts" "$CLIENT/src/schema.d.ts"
  echo "[client] regenerated $CLIENT/openapi.json and $CLIENT/src/schema.d.ts"
else
  status=0
  diff -u "$CLIENT/openapi.json" "$out/openapi.json" > "$out/diff" || status=1
  diff -u "$CLIENT/src/schema.d.ts" "$out/schema.d.ts" >> "$out/diff" || status=1
  if [ $status -ne 0 ]; then
    head -80 "$out/diff"
    echo "[client] the checked-in client differs from the API: run 'make client' and commit" >&2
    exit 1
  fi
fi

api=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["info"]["version"])' "$CLIENT/openapi.json")
client=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$CLIENT/package.json")
grep -q "API_VERSION = \"$api\"" "$CLIENT/src/version.ts" \
  || { echo "[client] src/version.ts's API_VERSION is not the API's ($api)" >&2; exit 1; }
grep -q "CLIENT_VERSION = \"$client\"" "$CLIENT/src/version.ts" \
  || { echo "[client] src/version.ts's CLIENT_VERSION is not package.json's ($client)" >&2; exit 1; }
[ "${client%%.*}" = "$api" ] \
  || { echo "[client] the client's major version ($client) is not the API's ($api)" >&2; exit 1; }

npx --no-install tsc --noEmit -p "$CLIENT"
npx --no-install tsc --noEmit -p frontend
echo "[client] the client matches the API (version $api) and type-checks, with the front end"
