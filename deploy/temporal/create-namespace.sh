#!/bin/sh
# JobRun's namespace, created once the server answers (an existing one is left
# as it is; `npx jobrun setup` then sets its retention to RETENTION_DAYS).
# docker-compose.yml runs it in temporalio/admin-tools, `npm run test:cluster`
# with the temporal CLI; both read the server from TEMPORAL_ADDRESS.
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"

tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Temporal at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} is not serving after 2 minutes" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --namespace "$namespace"
fi
