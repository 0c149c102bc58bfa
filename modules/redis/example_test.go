package redis_test

import (
	"testing"

	"github.com/testdock/testdock/modules/redis"
)

func ExampleStart() {
	var t testing.TB // the test's t
	r := redis.Start(t)
	rdb := r.Client(t)
	_ = rdb.Set(t.Context(), "k", "v", 0).Err()
}

func ExampleContainer_NewDatabase() {
	var t testing.TB // the test's t, on a server shared by the package
	var shared = redis.Shared()
	rdb := shared.Get(t).NewDatabase(t).Client(t)
	_ = rdb.Set(t.Context(), "k", "v", 0).Err()
}
