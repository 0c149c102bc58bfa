// Package leaktest runs a package's tests under goleak with the ignores
// this project needs. It is for tests only:
//
//	func TestMain(m *testing.M) { leaktest.Main(m) }
package leaktest

import (
	"testing"

	"go.uber.org/goleak"
)

// Ignores are the goroutines that may outlive the tests: the idle
// keep-alive connections of HTTP clients (the Docker client's among them).
func Ignores() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
	}
}

// Main runs m's tests and fails the run when any other goroutine outlives
// them.
func Main(m *testing.M) { goleak.VerifyTestMain(m, Ignores()...) }

// Find reports the goroutines, other than Ignores, that are still running:
// the check to hand to fixture.Main, which runs it after the shared
// fixtures are removed.
func Find() error { return goleak.Find(Ignores()...) }
