package wait_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

func TestGroupsOnContainer(t *testing.T) {
	t.Parallel()
	health := wait.ForHTTP("/health").OnPort("8080")
	t.Run("all ready", func(t *testing.T) {
		t.Parallel()
		c, target := start(t, fixture.Spec{Image: testserver, Ports: []string{"8081/tcp"},
			Cmd: []string{"-log", "300ms=migrated", "-http", "8080@800ms", "-tcp", "8081@500ms"}})
		returned, err := waitFor(t, wait.All(wait.ForLog("migrated"), health, wait.ForPort("8081").WithProbe("x\n", wait.Equals("x\n"))), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "log", "migrated"), returned, logSlack)
		assertReadyAfter(t, readyAt(t, c, "http", 8080), returned, 0)
	})
	t.Run("any ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080@1s")
		returned, err := waitFor(t, wait.Any(wait.ForLog("never said"), health), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "http", 8080), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-healthy-after", "1h")
		_, err := waitFor(t, wait.All(wait.ForLog("booting"), health, wait.ForLog("ready")).WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "HTTP 503 from /health", "booting")
		assert.ErrorContains(t, err, `log line "ready": seen 0 of 1`)
		assert.Equal(t, 1, strings.Count(err.Error(), "--- last log lines ---"))
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: testserver, Ports: []string{"8081/tcp"}, Cmd: []string{"-log", "0=booting", "-exit", "3@700ms"}})
		returned, err := waitFor(t, wait.All(wait.ForLog("ready"), wait.Any(health, wait.ForPort("8081"))), target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
		assert.Equal(t, 1, strings.Count(err.Error(), "--- last log lines ---"))
	})
}
