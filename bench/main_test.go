package bench

import (
	"os"
	"testing"
)

// TestMain sets, where they are not set, what the side-by-side benchmarks
// need on a machine without a registry: no Ryuk (its image can't be
// pulled; each benchmark removes its containers and fails if one is left),
// and 127.0.0.1 as testcontainers-go's host (it would pick the default
// gateway on a machine with /.dockerenv). cmd/benchmarks sets the same.
func TestMain(m *testing.M) {
	for k, v := range map[string]string{"TESTCONTAINERS_RYUK_DISABLED": "true", "TESTCONTAINERS_HOST_OVERRIDE": "127.0.0.1"} {
		if os.Getenv(k) == "" {
			os.Setenv(k, v)
		}
	}
	os.Exit(m.Run())
}
