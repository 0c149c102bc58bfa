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
// amqp091-go never reconnects by itself: after Container.Restart a
// connection from before is closed for good, and its NotifyClose channel
// delivers the broker's error (320 CONNECTION_FORCED on a graceful stop).
// The client reconnects by dialing again once NotifyClose delivers, at the
// current address, as the host port may change: take a new connection
// with Conn (it dials the current address), or ask URL or AMQPURL again
// after the restart and dial that. Then open channels and consumers anew.
//
//	conn := r.Conn(t)
//	closed := conn.NotifyClose(make(chan *amqp091.Error, 1))
//	r.Restart(ctx)
//	<-closed // in a select with ctx.Done()
//	conn = r.Conn(t)
//
// Users, virtual hosts, durable queues and their persistent messages live
// in the container's data volume (/var/lib/rabbitmq, an anonymous volume
// in the official image and the stand-in, not a tmpfs) and survive a
// restart; transient queues and non-persistent messages do not.
package rabbitmq
