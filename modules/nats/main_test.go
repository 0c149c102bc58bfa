package nats_test

import (
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/internal/leaktest"
	"github.com/testdock/testdock/modules/nats"
)

func TestMain(m *testing.M) {
	fixture.Main(m, leaktest.Find)
}

// shared is the server of the tests that share one.
var shared = nats.Shared(nats.WithJetStream())
