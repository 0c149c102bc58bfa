package wait_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"
	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/wait"
)

// interop labels the containers that testcontainers-go makes here, so that
// a leak shows up in `docker ps -a --filter label=testdock.session`.
var interop = testcontainers.WithLabels(map[string]string{"testdock.session": "wait-interop"})

// TestOursInTestcontainers hands our strategies to testcontainers-go.
func TestOursInTestcontainers(t *testing.T) {
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("ready", func(t *testing.T) {
		strategy := wait.All(
			wait.ForLog("ready").WithOccurrence(2),
			wait.ForHTTP("/health").OnPort("8080/tcp"),
			wait.ForPort("8081").WithGreeting(wait.HasPrefix("hi")),
			wait.ForExec("/testserver", "echo", "-stdout", "out", "-stderr", "err").WithOutput(wait.Equals("out\nerr\n")),
			wait.ForFile("/testserver"),
		)
		c, err := testcontainers.Run(ctx, testserver, interop,
			testcontainers.WithCmd("-log", "100ms=ready", "-log", "400ms=ready", "-http", "8080@300ms", "-tcp", "8081@200ms", "-greeting", "hi"),
			testcontainers.WithExposedPorts("8080/tcp", "8081/tcp"),
			testcontainers.WithWaitStrategy(strategy))
		testcontainers.CleanupContainer(t, c)
		require.NoError(t, err)
		logs, err := c.Logs(ctx)
		require.NoError(t, err)
		logs.Close()
	})
	t.Run("dies", func(t *testing.T) {
		c, err := testcontainers.Run(ctx, testserver, interop,
			testcontainers.WithCmd("-log", "0=booting", "-exit", "3@500ms"),
			testcontainers.WithExposedPorts("8080/tcp"),
			testcontainers.WithWaitStrategy(wait.ForLog("ready")))
		returned := time.Now()
		testcontainers.CleanupContainer(t, c)
		var ee *wait.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, 3, ee.ExitCode)
		assert.ErrorContains(t, err, "booting")
		require.NotNil(t, c, "Run returns the container with its error")
		ins, err := c.Inspect(ctx)
		require.NoError(t, err)
		finished, err := time.Parse(time.RFC3339Nano, ins.State.FinishedAt)
		require.NoError(t, err)
		assert.Less(t, returned.Sub(finished), time.Second, "the exit was noticed %v after it happened", returned.Sub(finished))
	})
	t.Run("timeout of its own", func(t *testing.T) {
		c, err := testcontainers.Run(ctx, testserver, interop,
			testcontainers.WithCmd("-http", "8080", "-healthy-after", "1h"),
			testcontainers.WithExposedPorts("8080/tcp"),
			testcontainers.WithWaitStrategy(tcwait.ForAll(wait.ForHTTP("/health").OnPort("8080").WithTimeout(time.Second))))
		testcontainers.CleanupContainer(t, c)
		var te *wait.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorContains(t, err, "HTTP 503 from /health")
	})
}
