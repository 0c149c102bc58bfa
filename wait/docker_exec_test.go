package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

func TestExecOnContainer(t *testing.T) {
	t.Parallel()
	probe := wait.ForExec("/testserver", "probe", "http://127.0.0.1:8080/health")
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080@300ms")
		returned, err := waitFor(t, probe, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "http", 8080), returned, 0)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080", "-healthy-after", "1500ms")
		returned, err := waitFor(t, probe, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "health", ""), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-healthy-after", "1h")
		_, err := waitFor(t, probe.WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, `exec ["/testserver" "probe" "http://127.0.0.1:8080/health"]: exit code 1, want 0; output: "`, "booting")
		assert.ErrorContains(t, err, "503")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, probe, target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
	t.Run("exit code, output and a missing command", func(t *testing.T) {
		t.Parallel()
		_, target := server(t)
		_, err := waitFor(t, wait.ForExec("/testserver", "echo", "-stdout", "pong", "-code", "2").WithExitCode(2).WithOutput(wait.Equals("pong\n")), target, 30*time.Second)
		require.NoError(t, err)
		_, err = waitFor(t, wait.ForExec("/testserver", "echo", "-stderr", "pang").WithOutput(wait.Contains("pong")).WithTimeout(500*time.Millisecond), target, 30*time.Second)
		assert.ErrorContains(t, err, `output: want contains "pong", got "pang\n"`)

		start := time.Now()
		_, err = waitFor(t, wait.ForExec("/bin/sh", "-c", "true"), target, 30*time.Second)
		var pe *wait.PermanentError
		require.ErrorAs(t, err, &pe)
		assert.ErrorContains(t, err, `exec ["/bin/sh" "-c" "true"]: can not run it in the container (exit code 126)`)
		assert.Less(t, time.Since(start), 5*time.Second, "a missing command fails at once")
	})
}
