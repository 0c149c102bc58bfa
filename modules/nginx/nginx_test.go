package nginx_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/nginx"
)

// get returns the status and body of GET url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestFiles(t *testing.T) {
	t.Parallel()
	n := shared.Get(t)
	code, body := get(t, n.URL()+"/hello.txt")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "hello", body)
	code, _ = get(t, n.URL()+"/missing.txt")
	assert.Equal(t, http.StatusNotFound, code)
}

func TestConfig(t *testing.T) {
	t.Parallel()
	n := nginx.Start(t, nginx.WithConfig(`server {
    listen 80;
    location /healthz { return 200 "ok\n"; }
    location / { return 418; }
}
`))
	code, body := get(t, n.URL()+"/healthz")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\n", body)
	code, _ = get(t, n.URL()+"/")
	assert.Equal(t, http.StatusTeapot, code)
}

func TestProxyToHost(t *testing.T) {
	t.Parallel()
	backend := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "backend saw %s", r.URL.Path)
	}))
	// Not 127.0.0.1 (containers can't reach it) and not 0.0.0.0 (exposed
	// beyond this machine): the bridge's gateway, as the container sees
	// the host.
	host, err := nginx.HostAddress(t.Context())
	require.NoError(t, err)
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	require.NoError(t, err)
	backend.Listener = l
	backend.Start()
	defer backend.Close()
	n := nginx.Start(t, nginx.WithProxyToHost(l.Addr().(*net.TCPAddr).Port))
	code, body := get(t, n.URL()+"/api/orders")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "backend saw /api/orders", body)
}

func TestRestart(t *testing.T) {
	t.Parallel()
	n := nginx.Start(t, nginx.WithFile("/a/b.txt", "b"))
	before := n.URL()
	require.NoError(t, n.Restart(t.Context()))
	t.Logf("URL before the restart %s, after %s", before, n.URL())
	code, body := get(t, n.URL()+"/a/b.txt")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "b", body)
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not nginx", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		n, err := nginx.Run(ctx, nginx.WithImage("testdock.local/testserver:latest"), nginx.WithStartupTimeout(3*time.Second))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is an nginx image")
		require.NotNil(t, n)
		require.NoError(t, n.Terminate(context.Background()))
	})
	t.Run("bad config", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		n, err := nginx.Run(ctx, nginx.WithConfig("server { listen 80; nonsense; }"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nonsense")
		require.NoError(t, n.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		n, err := nginx.Run(t.Context(), nginx.WithImage("testdock.local/no-such-nginx:latest"))
		require.Error(t, err)
		assert.Nil(t, n)
		assert.Contains(t, err.Error(), "testdock.local/no-such-nginx:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := nginx.Run(t.Context(), nginx.WithImage(""), nginx.WithFile("dir/", "x"), nginx.WithConfig("x"), nginx.WithProxyToHost(80))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), `WithFile: "dir/"`)
		assert.Contains(t, err.Error(), "WithProxyToHost and WithConfig")
	})
}
