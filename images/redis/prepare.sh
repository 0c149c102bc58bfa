#!/bin/sh
# Runs in the base's root file system while the base is built.
set -eu
mkdir -p /data
chown redis:redis /data
