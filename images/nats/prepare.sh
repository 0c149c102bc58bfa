#!/bin/sh
# Runs in the base's root file system while the base is built: the
# official image's binary path.
set -eu
ln -sf /usr/sbin/nats-server /nats-server
