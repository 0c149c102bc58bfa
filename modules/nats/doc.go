// Package nats runs a NATS server for tests, with a user and a random
// password of its own, JetStream on request, and a subject prefix per
// test.
//
//	func TestEvents(t *testing.T) {
//		n := nats.Start(t)
//		nc := n.Conn(t) // *nats.Conn of nats.go, closed when the test ends
//		nc.Publish("orders.created", []byte("42"))
//	}
//
// # Isolation on a shared server
//
// NATS has one subject space per account. On a server shared by the tests
// of a package, NewPrefix gives each test a random subject prefix such as
// "t_k3j9x0q2ab": a test that publishes and subscribes only under
// prefix+".>" does not see other tests' messages. The prefix is also a valid
// JetStream stream name; streams whose name starts with it are deleted when
// the test ends.
//
//	var shared = nats.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestOrders(t *testing.T) {
//		t.Parallel()
//		n := shared.Get(t)
//		p := n.NewPrefix(t)
//		n.Conn(t).Publish(p+".orders", []byte("42"))
//	}
//
// # Restarts
//
// Connections from Conn dial the container's current address each time
// they connect and reconnect without limit, so they come back after
// Container.Restart even when the host port changed. JetStream data lives
// in the container and survives a restart; core NATS subscriptions are
// restored by nats.go on reconnect.
package nats
