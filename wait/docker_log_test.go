package wait_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

func TestLogOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-log", "200ms=ready to serve")
		_, err := waitFor(t, wait.ForLog("ready to serve"), target, 30*time.Second)
		require.NoError(t, err)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-log", "1500ms=ready: listening on :8080", "-stderr-log", "1600ms=ready: 2")
		returned, err := waitFor(t, wait.ForLog(`^ready: \d$`).AsRegexp(), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "log", "ready: 2"), returned, logSlack)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-log", "0=ready")
		_, err := waitFor(t, wait.ForLog("ready").WithOccurrence(2).WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "seen 1 of 2 in 3 log lines", "booting")
		assert.ErrorContains(t, err, `wait for log line "ready" ×2 (within 2s): not ready after 2`)
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, wait.ForLog("ready"), target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
		assert.ErrorContains(t, err, "seen 0 of 1")
	})
	t.Run("counts only since the current start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-log", "0=ready", "-log", "500ms=later")
		_, err := waitFor(t, wait.ForLog("later"), target, 30*time.Second)
		require.NoError(t, err)
		require.NoError(t, c.Stop(context.Background()))
		require.NoError(t, c.Start(context.Background()))
		_, err = waitFor(t, wait.ForLog("ready"), target, 30*time.Second)
		require.NoError(t, err)
		logs, err := c.Logs(context.Background())
		require.NoError(t, err)
		require.Equal(t, 2, strings.Count(logs, "ready\n"), "the first start's line is in the log")
		_, err = waitFor(t, wait.ForLog("ready").WithOccurrence(2), target, time.Second)
		assert.ErrorContains(t, err, "seen 1 of 2", "but does not count")
	})
}
