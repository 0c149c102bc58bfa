#!/bin/sh
# Runs in the base's root file system while the base is built: the
# official image's binary paths and folders.
set -eu
ln -sf /usr/bin/etcd /usr/local/bin/etcd
ln -sf /usr/bin/etcdctl /usr/local/bin/etcdctl
mkdir -p /var/etcd /var/lib/etcd
