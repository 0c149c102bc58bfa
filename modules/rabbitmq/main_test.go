package rabbitmq_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/rabbitmq"
)

func TestMain(m *testing.M) {
	fixture.Main(m, func() error {
		return goleak.Find(
			// The Docker client keeps idle keep-alive connections.
			goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		)
	})
}

// shared is the server of the tests that share one.
var shared = rabbitmq.Shared()
