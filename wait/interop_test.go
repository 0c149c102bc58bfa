package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// TestOursOnATestcontainersTarget runs our strategies as testcontainers-go
// strategies (WaitUntilReady, inside testcontainers-go's ForAll) on a real
// container's testcontainers-go target: fixture's.
func TestOursOnATestcontainersTarget(t *testing.T) {
	t.Parallel()
	tcTarget := func(t *testing.T, args ...string) tcwait.StrategyTarget {
		_, target := start(t, fixture.Spec{Image: testserver, Ports: []string{"8081/tcp"}, Cmd: args})
		tt, ok := target.(wait.TestcontainersTarget)
		require.True(t, ok, "fixture's target serves testcontainers-go strategies")
		return tt.Testcontainers()
	}
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		tt := tcTarget(t, "-log", "100ms=ready", "-log", "400ms=ready", "-http", "8080@300ms", "-tcp", "8081@200ms", "-greeting", "hi")
		strategy := tcwait.ForAll(
			wait.ForLog("ready").WithOccurrence(2),
			wait.ForHTTP("/health").OnPort("8080/tcp"),
			wait.ForPort("8081").WithGreeting(wait.HasPrefix("hi")),
			wait.ForExec("/testserver", "echo", "-stdout", "out", "-stderr", "err").WithOutput(wait.Equals("out\nerr\n")),
			wait.ForFile("/testserver"),
		)
		require.NoError(t, strategy.WaitUntilReady(t.Context(), tt))
	})
	t.Run("dies", func(t *testing.T) {
		t.Parallel()
		tt := tcTarget(t, "-log", "0=booting", "-exit", "3@700ms")
		err := wait.ForLog("ready").WaitUntilReady(t.Context(), tt)
		returned := time.Now()
		var ee *wait.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, 3, ee.ExitCode)
		assert.ErrorContains(t, err, "booting")
		ins, err := tt.Inspect(t.Context())
		require.NoError(t, err)
		finished, err := time.Parse(time.RFC3339Nano, ins.State.FinishedAt)
		require.NoError(t, err)
		assert.Less(t, returned.Sub(finished), time.Second, "the exit was noticed %v after it happened", returned.Sub(finished))
	})
	t.Run("timeout of its own", func(t *testing.T) {
		t.Parallel()
		tt := tcTarget(t, "-http", "8080", "-healthy-after", "1h")
		err := tcwait.ForAll(wait.ForHTTP("/health").OnPort("8080").WithTimeout(time.Second)).WaitUntilReady(t.Context(), tt)
		var te *wait.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, time.Second, te.Limit)
		assert.ErrorContains(t, err, "HTTP 503 from /health")
	})
}

// TestTheirsInASpec uses a testcontainers-go strategy in a fixture.Spec.
func TestTheirsInASpec(t *testing.T) {
	t.Parallel()
	c := fixture.Start(t, fixture.Spec{Image: testserver, Cmd: []string{"-log", "200ms=ready"},
		Wait: wait.FromTestcontainers(tcwait.ForLog("ready").WithPollInterval(10 * time.Millisecond))})
	logs, err := c.Logs(t.Context())
	require.NoError(t, err)
	assert.Contains(t, logs, "ready")
}
