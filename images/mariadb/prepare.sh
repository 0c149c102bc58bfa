#!/bin/sh
# Runs in the base's root file system while the base is built. Debian's
# server config binds to 127.0.0.1: listen on every interface, like the
# official image; make the data, socket and init-script folders.
set -eu
sed -ri 's/^(bind-address|skip-networking)/#&/' /etc/mysql/mariadb.conf.d/50-server.cnf
mkdir -p /docker-entrypoint-initdb.d /var/lib/mysql /run/mysqld
chown mysql:mysql /var/lib/mysql /run/mysqld
chmod 1777 /run/mysqld
