package etcd_test

import (
	"testing"

	"github.com/testdock/testdock/modules/etcd"
)

func ExampleStart() {
	var t testing.TB // the test's t
	e := etcd.Start(t)
	_, _ = e.Client(t).Put(t.Context(), "/config/a", "1")
}

func ExampleContainer_NewPrefix() {
	var t testing.TB // the test's t, on a server shared by the package
	var shared = etcd.Shared()
	e := shared.Get(t)
	p := e.NewPrefix(t)
	_, _ = e.Client(t).Put(t.Context(), p+"a", "1")
}
