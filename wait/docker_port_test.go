package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

func TestPortOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@300ms")
		returned, err := waitFor(t, wait.ForPort("8080/tcp"), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
	})
	// Without a protocol check: fixture's target tells from the host which
	// ports listen in the container, so no settle time is spent (the
	// settle time of an hour would make the test time out).
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@1500ms")
		returned, err := waitFor(t, wait.ForPort("8080/tcp").WithSettle(time.Hour), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
		assert.Less(t, returned.Sub(readyAt(t, c, "tcp", 8080)), 100*time.Millisecond, "noticed without a settle time")
	})
	t.Run("listens on loopback only", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-tcp", "127.0.0.1:8080")
		_, err := waitFor(t, wait.ForPort("8080").WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "the container listens on 8080/tcp only on loopback (127.0.0.1), which its published port can't reach: make the server listen on 0.0.0.0", "booting")
	})
	t.Run("slow start with a greeting", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@1500ms", "-greeting", "220 testserver ready")
		returned, err := waitFor(t, wait.ForPort("8080").WithGreeting(wait.HasPrefix("220 ")), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
	})
	t.Run("probe", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@300ms")
		returned, err := waitFor(t, wait.ForPort("8080").WithProbe("PING\n", wait.Equals("PING\n")), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting")
		_, err := waitFor(t, wait.ForPort("8080").WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "nothing in the container listens on 8080/tcp yet", "booting")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, wait.ForPort("8080"), target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
}
