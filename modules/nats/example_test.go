package nats_test

import (
	"testing"

	"github.com/testdock/testdock/modules/nats"
)

func ExampleStart() {
	var t testing.TB // the test's t
	n := nats.Start(t)
	nc := n.Conn(t)
	_ = nc.Publish("orders.created", []byte("42"))
}

func ExampleContainer_NewPrefix() {
	var t testing.TB // the test's t, on a server shared by the package
	var shared = nats.Shared()
	n := shared.Get(t)
	p := n.NewPrefix(t)
	_ = n.Conn(t).Publish(p+".orders.created", []byte("42"))
}
