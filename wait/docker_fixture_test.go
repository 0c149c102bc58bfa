package wait_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// shared is one strategy value used by parallel tests (run with -race).
var shared = wait.All(
	wait.ForLog("ready"),
	wait.ForHTTP("/health").OnPort("8080/tcp"),
	wait.ForPort("8081/tcp").WithProbe("ping\n", wait.Equals("ping\n")),
)

// TestSharedStrategyInSpecs uses one strategy in the Specs of parallel
// tests, as a module's preset would.
func TestSharedStrategyInSpecs(t *testing.T) {
	t.Parallel()
	for i := range 3 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			c := fixture.Start(t, fixture.Spec{
				Image: testserver,
				Cmd:   []string{"-log", fmt.Sprintf("%dms=ready", 100*i), "-http", "8080@200ms", "-tcp", "8081@300ms"},
				Ports: []string{"8080/tcp", "8081/tcp"},
				Wait:  shared,
			})
			assert.NotEmpty(t, c.Endpoint("8081/tcp"))
		})
	}
}

// TestFailedStartInSpec shows the error fixture reports when the container
// dies while our strategy waits.
func TestFailedStartInSpec(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	c, err := fixture.Run(ctx, fixture.Spec{Image: testserver, Cmd: []string{"-log", "0=booting", "-exit", "3@700ms"},
		Ports: []string{"8080/tcp"}, Wait: wait.ForHTTP("/health").OnPort("8080/tcp")})
	t.Cleanup(func() { c.Terminate(context.Background()) })
	require.Error(t, err)
	assert.ErrorContains(t, err, "exited with code 3")
	assert.ErrorContains(t, err, "booting")
	assert.Less(t, time.Since(start), 10*time.Second)
}
