// Package rabbitmq runs a RabbitMQ broker for tests, with a user and a
// random password of its own, the management API, and a virtual host with
// its own user per test.
//
//	func TestOrders(t *testing.T) {
//		r := rabbitmq.Start(t)
//		conn := r.Conn(t) // *amqp091.Connection, closed when the test ends
//		ch, _ := conn.Channel()
//		...
//	}
//
// # Isolation on a shared broker
//
// On a broker shared by the tests of a package, NewVhost gives each test a
// virtual host of its own and a user (random name and password) that may
// use only that virtual host. Both are deleted, with every queue and
// exchange in the virtual host, when the test ends. They are made through
// the management API (the default image, rabbitmq:3-management, has it).
//
//	var shared = rabbitmq.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestBilling(t *testing.T) {
//		t.Parallel()
//		conn := shared.Get(t).NewVhost(t).Conn(t)
//		...
//	}
//
// # Restarts
//
// amqp091-go does not reconnect: after Container.Restart a connection from
// before is closed (see Connection.NotifyClose). Take a new one with Conn,
// which dials the container's current address (the host port may change).
// Users, virtual hosts and durable queues live in the container's file
// system and survive a restart.
package rabbitmq
