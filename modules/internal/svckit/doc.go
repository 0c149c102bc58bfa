// Package svckit holds what the service modules (redis, nats, memcached,
// etcd, nginx, mqtt, rabbitmq) share: random secrets, per-test names, the
// hint added to a start error and the test's context.
package svckit
