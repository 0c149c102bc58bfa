// Package etcd runs a single-member etcd server for tests, with
// authentication on (user root, a random password, JWT auth tokens) and a
// key prefix per test.
//
//	func TestConfig(t *testing.T) {
//		e := etcd.Start(t)
//		cli := e.Client(t) // *clientv3.Client, closed when the test ends
//		cli.Put(t.Context(), "/config/a", "1")
//	}
//
// # Isolation on a shared server
//
// On a server shared by the tests of a package, NewPrefix gives each test
// a random key prefix such as "/t_k3j9x0q2ab/"; every key under it is
// deleted when the test ends. A test that keeps to its prefix does not
// see other tests' keys.
//
//	var shared = etcd.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestLeases(t *testing.T) {
//		t.Parallel()
//		e := shared.Get(t)
//		p := e.NewPrefix(t)
//		e.Client(t).Put(t.Context(), p+"a", "1")
//	}
//
// # Restarts
//
// Clients from Client dial the container's current address each time they
// connect, so they reconnect after Container.Restart even when the host
// port changed, and a client from before the restart keeps working. The
// data (and the users) survive a restart: they live in the container's
// file system. With authentication on, the server hands out JWT auth
// tokens (RS256, valid for an hour) signed with a key pair made for each
// server and copied into the container, so a token from before a restart
// is still valid after it; with etcd's default "simple" tokens, which the
// server keeps in memory only, such a client kept failing with "invalid
// auth token".
//
// # Versions
//
// The client is go.etcd.io/etcd/client/v3 v3.7; it is tested here against
// the stand-in's etcd 3.4 (the default image is etcd 3.5.17).
package etcd
