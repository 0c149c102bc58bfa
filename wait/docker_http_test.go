package wait_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

func TestHTTPOnContainer(t *testing.T) {
	t.Parallel()
	health := wait.ForHTTP("/health").OnPort("8080/tcp")
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080@300ms")
		returned, err := waitFor(t, health, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "http", 8080), returned, 0)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080", "-healthy-after", "1500ms")
		returned, err := waitFor(t, health, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "health", ""), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-healthy-after", "1h")
		_, err := waitFor(t, health.WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, `HTTP 503 from /health, want 2xx: "starting\n"`, "booting")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-healthy-after", "1h", "-exit", "3@700ms")
		returned, err := waitFor(t, health, target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
	t.Run("killed for memory", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: testserver, Memory: 32 << 20,
			Cmd: []string{"-http", "8080", "-healthy-after", "1h", "-alloc", "256MiB@500ms"}})
		_, err := waitFor(t, health, target, 30*time.Second)
		var ee *wait.ExitError
		require.ErrorAs(t, err, &ee)
		assert.True(t, ee.OOMKilled, "%v", err)
		assert.ErrorContains(t, err, "(OOMKilled: true: it ran out of memory; raise its memory limit)")
	})
	t.Run("request and response", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-http", "8080")
		s := wait.ForHTTP("/echo?x=1").OnPort("8080").WithMethod(http.MethodPut).
			WithRequestBody("hello").WithRequestHeader("X-Test", "yes").
			WithBody(wait.Regexp(`"method":\s*"PUT"`)).WithBody(wait.Regexp(`"body":\s*"hello"`)).
			WithBody(wait.Regexp(`"X-Test":\s*\[\s*"yes"`)).
			WithHeader("Content-Type", wait.Contains("json"))
		_, err := waitFor(t, s, target, 30*time.Second)
		require.NoError(t, err)

		_, err = waitFor(t, wait.ForHTTP("/echo").OnPort("8080").WithBody(wait.Contains(`"method":"DELETE"`)).WithTimeout(500*time.Millisecond), target, 30*time.Second)
		assert.ErrorContains(t, err, `HTTP 200 from /echo: body: want contains "\"method\":\"DELETE\"", got "{`)
	})
}
