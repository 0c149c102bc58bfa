#!/usr/bin/env bash
# The whole test suite, against real containers, with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
go test -race -count=1 -timeout 20m "$@" ./...
