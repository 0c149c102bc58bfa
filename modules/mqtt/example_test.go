package mqtt_test

import (
	"testing"

	"github.com/testdock/testdock/modules/mqtt"
)

func ExampleStart() {
	var t testing.TB // the test's t
	b := mqtt.Start(t)
	b.Client(t).Publish("sensors/1", 1, false, "21.5").Wait()
}

func ExampleContainer_NewPrefix() {
	var t testing.TB // the test's t, on a broker shared by the package
	var shared = mqtt.Shared()
	b := shared.Get(t)
	p := b.NewPrefix(t)
	b.Client(t).Publish(p+"alarms", 1, false, "fire").Wait()
}
