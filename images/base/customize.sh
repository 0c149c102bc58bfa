#!/bin/sh
# Runs inside the new root after every package is installed (with
# mmdebstrap or debootstrap). No service was started; this removes what the
# packages' maintainer scripts left that would conflict with an image
# initializing itself at first start, and trims what no container needs.
set -eu

# Data and state created by postinst scripts: each image starts empty,
# like the official ones.
rm -rf /etc/postgresql/* /var/lib/postgresql/* \
	/var/lib/mysql/* /var/lib/redis/* /var/lib/etcd/* /var/lib/mosquitto/* \
	/var/lib/rabbitmq/.erlang.cookie /var/lib/rabbitmq/mnesia/*

# /run as the official images ship it: empty but for lock (the build keeps
# /run, so the stand-ins' prepare.sh files can add their socket folders).
find /run -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf {} +

# en_US.UTF-8, the locale of the official postgres image (LANG=en_US.utf8).
localedef -i en_US -c -f UTF-8 en_US.UTF-8

# PostgreSQL's JIT provider drags in 130 MB of LLVM: without llvmjit.so the
# server runs with JIT unavailable (pg_jit_available() is false).
rm -rf /usr/lib/postgresql/*/lib/llvmjit* /usr/lib/postgresql/*/lib/bitcode \
	/usr/lib/*/libLLVM* /usr/lib/llvm-*/lib/libLLVM* /usr/lib/*/libz3.so*

# Documentation, translations, locale sources, caches and logs.
rm -rf /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/lintian \
	/usr/share/i18n /var/cache/debconf/*-old /var/lib/apt/lists/* \
	/var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt/* \
	/var/log/dpkg.log /var/log/alternatives.log /var/log/bootstrap.log
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
find / -xdev -name __pycache__ -type d -prune -exec rm -rf {} +
