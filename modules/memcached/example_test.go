package memcached_test

import (
	"testing"

	"github.com/bradfitz/gomemcache/memcache"

	"github.com/testdock/testdock/modules/memcached"
)

func ExampleStart() {
	var t testing.TB // the test's t
	m := memcached.Start(t)
	_ = m.Client(t).Set(&memcache.Item{Key: "k", Value: []byte("v")})
}

func ExampleContainer_NewNamespace() {
	var t testing.TB // the test's t, on a server shared by the package
	var shared = memcached.Shared()
	m := shared.Get(t)
	ns := m.NewNamespace(t)
	_ = m.Client(t).Set(&memcache.Item{Key: ns.Key("session"), Value: []byte("v")})
}
