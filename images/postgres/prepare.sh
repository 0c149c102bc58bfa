#!/bin/sh
# Runs in the base's root file system while the base is built (the kit's
# Dockerfiles have no RUN). Prepares what the postgres image expects: the
# server listens on every interface (initdb copies the sample config), and
# the data, socket and init-script folders exist.
set -eu
sample=/usr/share/postgresql/15/postgresql.conf.sample
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
grep -qF "listen_addresses = '*'" "$sample"
mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql /var/lib/postgresql/data
chown postgres:postgres /var/lib/postgresql /var/run/postgresql /var/lib/postgresql/data
chmod 3777 /var/run/postgresql
# replaced by 0700 at start: allows semi-arbitrary --user values
chmod 1777 /var/lib/postgresql/data
