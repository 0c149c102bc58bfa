// Package memcached runs a memcached server for tests, with a key
// namespace per test.
//
//	func TestCache(t *testing.T) {
//		m := memcached.Start(t)
//		mc := m.Client(t) // *memcache.Client of gomemcache
//		mc.Set(&memcache.Item{Key: "k", Value: []byte("v")})
//	}
//
// # Authentication
//
// None: memcached authenticates only with SASL over its binary protocol,
// which gomemcache (a text-protocol client) does not speak. The port is
// published on 127.0.0.1 only, like every testdock port.
//
// # Isolation on a shared server
//
// memcached has one key space. On a server shared by the tests of a
// package, NewNamespace gives each test a random key prefix: a test that
// builds its keys with Namespace.Key does not see other tests' items.
// memcached can't list keys, so a namespace's items are not removed when
// the test ends; nothing reads them again and memcached evicts them when
// it needs the memory.
//
//	var shared = memcached.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestSessions(t *testing.T) {
//		t.Parallel()
//		m := shared.Get(t)
//		ns := m.NewNamespace(t)
//		m.Client(t).Set(&memcache.Item{Key: ns.Key("session"), Value: []byte("v")})
//	}
//
// # Clients
//
// A gomemcache client keeps idle connections to the server: Client closes
// its client when the test ends, and the caller of NewClient should call
// the client's Close.
//
// # Restarts
//
// A client from Client or NewClient dials the container's current address
// each time it connects, so it works again after Container.Restart even
// when the host port changed (an operation on a connection from before the
// restart may fail once). The server keeps no data across a restart.
package memcached
