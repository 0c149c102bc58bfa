#!/bin/sh
# Runs in the base's root file system while the base is built: the
# official image's folders and modes (any --user can run it), root shares
# the rabbitmq user's Erlang cookie, and /plugins names the plugin folder.
set -eu
mkdir -p /etc/rabbitmq/conf.d /var/log/rabbitmq /var/lib/rabbitmq
chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/log/rabbitmq /var/lib/rabbitmq
chmod 1777 /etc/rabbitmq /etc/rabbitmq/conf.d /var/log/rabbitmq /var/lib/rabbitmq
ln -sf /var/lib/rabbitmq/.erlang.cookie /root/.erlang.cookie
ln -sfn "$(echo /usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins)" /plugins
