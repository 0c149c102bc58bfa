package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

func TestFileOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: testserver, Files: []fixture.File{{Path: "/etc/app/ready", Content: "ok"}}})
		_, err := waitFor(t, wait.ForFile("/etc/app/ready").WithContent(wait.Equals("ok")), target, 30*time.Second)
		require.NoError(t, err)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t)
		write := func(content string) {
			r, err := c.Exec(t.Context(), "/testserver", "write", "/state", content)
			require.NoError(t, err)
			require.Equal(t, 0, r.ExitCode, "%s", r.Stderr)
		}
		write("starting")
		var wrote time.Time
		done := make(chan struct{})
		time.AfterFunc(time.Second, func() { // the scenario: the file says "done" a second later
			defer close(done)
			wrote = time.Now()
			write("done")
		})
		returned, err := waitFor(t, wait.ForFile("/state").WithContent(wait.Equals("done")), target, 30*time.Second)
		<-done
		require.NoError(t, err)
		assert.True(t, returned.After(wrote))
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting")
		_, err := waitFor(t, wait.ForFile("/tmp/ready").WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "Could not find the file /tmp/ready", "booting")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, wait.ForFile("/tmp/ready"), target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
}
