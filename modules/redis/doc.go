// Package redis runs a Redis server for tests, with a password of its own
// and a logical database per test.
//
//	func TestCache(t *testing.T) {
//		r := redis.Start(t)
//		rdb := r.Client(t) // *redis.Client of go-redis v9, closed when the test ends
//		rdb.Set(t.Context(), "k", "v", 0)
//	}
//
// # Isolation on a shared server
//
// The server is started with 256 logical databases (WithDatabases). On a
// server shared by the tests of a package, NewDatabase gives each test a
// database of its own, flushed and handed back when the test ends:
//
//	var shared = redis.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestSessions(t *testing.T) {
//		t.Parallel()
//		rdb := shared.Get(t).NewDatabase(t).Client(t)
//		...
//	}
//
// # Restarts
//
// Clients from Client and Database.Client dial the container's current
// address each time they connect, so they reconnect after
// Container.Restart even when the host port changed. The server keeps no
// data across a restart (persistence is off).
package redis
