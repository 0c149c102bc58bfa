#!/usr/bin/env bash
# The main job: the examples, against real containers.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
go test -count=1 "$@" ./examples/...
