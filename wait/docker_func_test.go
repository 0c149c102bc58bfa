package wait_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

// healthFunc answers by a GET of /health on 8080, as a user's function
// might.
func healthFunc(ctx context.Context, t wait.Target) wait.Result {
	ep, err := t.Endpoint(ctx, "8080/tcp")
	if err != nil {
		return wait.NotYet("%w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ep+"/health", nil)
	if err != nil {
		return wait.Never("%w", err)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return wait.NotYet("%w", err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return wait.Ready()
	case resp.StatusCode == http.StatusForbidden:
		return wait.Never("HTTP 403: the credentials are wrong")
	default:
		return wait.NotYet("HTTP %d", resp.StatusCode)
	}
}

func TestFuncOnContainer(t *testing.T) {
	t.Parallel()
	s := wait.ForFunc(healthFunc)
	assert.Equal(t, "func github.com/testdock/testdock/wait_test.healthFunc", s.String())
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080@300ms")
		returned, err := waitFor(t, s, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "http", 8080), returned, 0)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := server(t, "-http", "8080", "-healthy-after", "1500ms")
		returned, err := waitFor(t, s, target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "health", ""), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-healthy-after", "1h")
		_, err := waitFor(t, s.WithName("health func").WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "wait for health func (within 2s): not ready after", "booting")
		assert.ErrorContains(t, err, "HTTP 503")
	})
	t.Run("never", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-http", "8080", "-health-status", "403")
		_, err := waitFor(t, s, target, 30*time.Second)
		var pe *wait.PermanentError
		require.ErrorAs(t, err, &pe)
		assert.ErrorContains(t, err, "HTTP 403: the credentials are wrong\n--- last log lines ---\n")
		assert.ErrorContains(t, err, "booting")
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := server(t, "-log", "0=booting", "-exit", "3@700ms")
		returned, err := waitFor(t, s, target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
}
