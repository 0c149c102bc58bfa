package rabbitmq_test

import (
	"testing"

	"github.com/testdock/testdock/modules/rabbitmq"
)

func ExampleStart() {
	var t testing.TB // the test's t
	r := rabbitmq.Start(t)
	ch, err := r.Conn(t).Channel()
	if err == nil {
		_, _ = ch.QueueDeclare("orders", true, false, false, false, nil)
	}
}

func ExampleContainer_NewVhost() {
	var t testing.TB // the test's t, on a broker shared by the package
	var shared = rabbitmq.Shared()
	conn := shared.Get(t).NewVhost(t).Conn(t)
	_, _ = conn.Channel()
}
