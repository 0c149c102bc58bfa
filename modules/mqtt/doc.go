// Package mqtt runs an MQTT broker (Eclipse Mosquitto) for tests, with a
// user and a random password of its own and a topic prefix per test.
//
//	func TestTelemetry(t *testing.T) {
//		b := mqtt.Start(t)
//		c := b.Client(t) // a connected paho.mqtt.golang client, disconnected when the test ends
//		c.Publish("sensors/1", 1, false, "21.5").Wait()
//	}
//
// # Configuration
//
// Mosquitto 2 listens on loopback only unless configured, so the broker
// gets a configuration of its own (/mosquitto/config/mosquitto.conf): a
// listener on port 1883 for all interfaces, anonymous access off, and a
// password file with one user (WithUser, default "test") whose password is
// random.
//
// # Isolation on a shared broker
//
// MQTT has one topic space. On a broker shared by the tests of a package,
// NewPrefix gives each test a random topic prefix such as "t_k3j9x0q2ab/":
// a test that publishes and subscribes only under prefix+"#" does not see
// other tests' messages. Retained messages under the prefix are not
// removed when the test ends (MQTT can't list them); nothing reads them
// again.
//
//	var shared = mqtt.Shared()
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestAlarms(t *testing.T) {
//		t.Parallel()
//		b := shared.Get(t)
//		p := b.NewPrefix(t)
//		b.Client(t).Publish(p+"alarms", 1, false, "fire").Wait()
//	}
//
// # Restarts
//
// Clients from Client dial the container's current address each time they
// connect and reconnect automatically, so they come back after
// Container.Restart even when the host port changed. They use clean
// sessions: subscribe again after a reconnect (paho's OnConnect handler is
// the place; Client takes extra options for it). The broker keeps no
// messages across a restart.
package mqtt
