package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

func TestExitOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-exit", "3@500ms")
		returned, err := waitFor(t, wait.ForExit(3), target, 30*time.Second)
		require.NoError(t, err)
		st, err := target.State(t.Context())
		require.NoError(t, err)
		assert.False(t, returned.Before(st.FinishedAt))
		assert.Less(t, returned.Sub(st.FinishedAt), time.Second)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=migrating", "-exit", "0@1500ms")
		_, err := waitFor(t, wait.ForExit(0), target, 30*time.Second)
		require.NoError(t, err)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=migrating")
		_, err := waitFor(t, wait.ForExit(0).WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "the container is running", "migrating")
	})
	t.Run("exits with another code", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=migration 7 failed", "-exit", "4@700ms")
		returned, err := waitFor(t, wait.ForExit(0), target, 30*time.Second)
		assertDied(t, err, returned, target, 4, "migration 7 failed")
		assert.ErrorContains(t, err, "container exited with code 4 (OOMKilled: false), want 0")
	})
	t.Run("killed for memory", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: testserver, Memory: 32 << 20, Cmd: []string{"-alloc", "256MiB@500ms"}})
		_, err := waitFor(t, wait.ForExit(0), target, 30*time.Second)
		var ee *wait.ExitError
		require.ErrorAs(t, err, &ee)
		assert.True(t, ee.OOMKilled)
	})
}
