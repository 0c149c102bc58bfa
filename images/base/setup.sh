#!/bin/sh
# Runs on the host before any package is installed; $1 is the new root.
# Tell postgresql-common not to create (and initdb) the "main" cluster:
# the postgres image initializes its own PGDATA at first start.
set -eu
mkdir -p "$1/etc/postgresql-common/createcluster.d"
echo 'create_main_cluster = false' > "$1/etc/postgresql-common/createcluster.d/testdock.conf"
