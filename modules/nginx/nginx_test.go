package nginx_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
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

// TestProxyToHost pins the loopback-only design: the backend listens on
// 127.0.0.1 (it used to have to listen on the Docker bridge's gateway),
// nginx runs in the host's network namespace with no published ports and
// its only listen directive is 127.0.0.1 and URL's port.
func TestProxyToHost(t *testing.T) {
	t.Parallel()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from, _, _ := net.SplitHostPort(r.RemoteAddr)
		fmt.Fprintf(w, "backend saw %s %s from %s", r.URL.Path, r.Header.Get("X-Test"), from)
	}))
	defer backend.Close()
	backendAddr := backend.Listener.Addr().(*net.TCPAddr)
	require.True(t, backendAddr.IP.IsLoopback(), "backend listens on %s", backendAddr)

	n := nginx.Start(t, nginx.WithProxyToHost(backendAddr.Port))

	u, err := url.Parse(n.URL())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", u.Hostname())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, n.URL()+"/api/orders", nil)
	require.NoError(t, err)
	req.Header.Set("X-Test", "through-nginx")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Server"), "nginx"), "Server: %q", resp.Header.Get("Server"))
	assert.Equal(t, "backend saw /api/orders through-nginx from 127.0.0.1", string(body))

	ins, err := n.Inspect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "host", string(ins.HostConfig.NetworkMode))
	assert.Empty(t, ins.HostConfig.PortBindings)
	assert.Empty(t, ins.HostConfig.ExtraHosts)

	// nginx -T prints the whole configuration nginx runs with, includes
	// and all: it must listen on URL's address and nowhere else.
	res, err := n.Exec(t.Context(), "nginx", "-T")
	require.NoError(t, err)
	require.Equal(t, 0, res.ExitCode, "nginx -T: %s", res.Stderr)
	listens := regexp.MustCompile(`(?m)^\s*listen\s+([^;]*);`).FindAllStringSubmatch(string(res.Stdout), -1)
	require.Len(t, listens, 1, "%s", res.Stdout)
	assert.Equal(t, u.Host, listens[0][1])
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
