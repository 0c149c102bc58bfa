package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

// echoSQL asks the test server's TCP echo on 8080 through the test driver
// "testdock-echo" (see echo_test.go): a query succeeds when it comes back.
var echoSQL = wait.ForSQL("testdock-echo", "8080/tcp", func(ep string) string { return ep })

func TestSQLOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@300ms")
		returned, err := waitFor(t, echoSQL, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-tcp", "8080@1500ms", "-greeting", "welcome")
		returned, err := waitFor(t, echoSQL.WithQuery("SELECT 42"), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "tcp", 8080), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting")
		_, err := waitFor(t, echoSQL.WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "(the connection was closed at once: nothing listens on 8080/tcp in the container yet?)", "booting")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, echoSQL, target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
}
