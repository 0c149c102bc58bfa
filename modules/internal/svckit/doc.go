// Package svckit holds what the service modules (redis, nats, memcached,
// etcd, nginx, mqtt, rabbitmq) share: random secrets and names
// (Password, Random) and the bounded context of their cleanups
// (CleanupContext).
package svckit
