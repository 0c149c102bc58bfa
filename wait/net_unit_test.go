package wait

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hostPort(u string) string {
	return strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
}

func TestHTTPStatusBodyAndHeader(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := calls.Add(1); {
		case n < 3:
			http.Error(w, "starting", http.StatusServiceUnavailable)
		case n < 5:
			fmt.Fprint(w, `{"status":"loading"}`)
		default:
			w.Header().Set("X-Role", "primary")
			fmt.Fprint(w, `{"status":"up"}`)
		}
	}))
	defer srv.Close()
	s := ForHTTP("/healthz").OnPort("8080").WithBody(Contains(`"up"`)).WithHeader("x-role", Equals("primary"))
	assert.Equal(t, `HTTP GET /healthz on 8080/tcp answering 2xx, body contains "\"up\"", X-Role equals "primary"`, s.String())
	require.NoError(t, s.Wait(context.Background(), fake{endpoint: hostPort(srv.URL)}))
	assert.EqualValues(t, 5, calls.Load())
}

func TestHTTPTimeoutReason(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	err := ForHTTP("/healthz").OnPort("8080/tcp").WithTimeout(time.Second).
		Wait(context.Background(), fake{endpoint: hostPort(srv.URL)})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), `: HTTP 503 from /healthz, want 2xx: "starting\n"`)
}

func TestHTTPRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || string(b) != `{"ping":1}` || r.Header.Get("X-Token") != "t0k" || r.Host != "svc.local" {
			http.Error(w, fmt.Sprintf("bad request %s %q %q %q", r.Method, b, r.Header.Get("X-Token"), r.Host), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	base := ForHTTP("ping").OnPort("80").WithMethod(http.MethodPost).WithRequestBody(`{"ping":1}`).
		WithRequestHeader("X-Token", "t0k").WithRequestHeader("Host", "svc.local")
	target := fake{endpoint: hostPort(srv.URL)}
	require.NoError(t, base.WithStatus(http.StatusFound).Wait(context.Background(), target), "redirects are not followed")
	err := base.WithStatusFunc("a 5xx", func(c int) bool { return c >= 500 }).WithTimeout(time.Second).Wait(context.Background(), target)
	assert.ErrorContains(t, err, "HTTP 302 from /ping, want a 5xx")
	// The derived values did not change base.
	assert.Equal(t, "HTTP POST /ping on 80/tcp answering 2xx", base.String())
}

func TestHTTPTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are expected
	srv.StartTLS()
	defer srv.Close()
	target := fake{endpoint: hostPort(srv.URL)}
	require.NoError(t, ForHTTP("/").OnPort("443").WithInsecureTLS().Wait(context.Background(), target))

	err := ForHTTP("/").OnPort("443").WithTLS(nil).WithTimeout(time.Second).Wait(context.Background(), target)
	assert.ErrorContains(t, err, "certificate", "verification fails against the host's roots")

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg := &tls.Config{RootCAs: pool}
	s := ForHTTP("/").OnPort("443").WithTLS(cfg)
	cfg.RootCAs = nil // the strategy keeps its own copy
	require.NoError(t, s.Wait(context.Background(), target))
	assert.Equal(t, "HTTPS GET / on 443/tcp answering 2xx", s.String())
}

func TestHTTPConnectionClosedAtOnce(t *testing.T) {
	addr := echoServer(t, "", 1<<30) // closes every connection, like the proxy
	err := ForHTTP("/").OnPort("8080/tcp").WithTimeout(time.Second).Wait(context.Background(), fake{endpoint: addr})
	assert.ErrorContains(t, err, "accepted the connection and closed it at once: the port is published, but nothing listens on 8080/tcp in the container yet")

	err = ForHTTP("/").OnPort("8080/tcp").WithTimeout(time.Second).Wait(context.Background(), fake{endpoint: closedPort(t)})
	assert.ErrorContains(t, err, "connect: connection refused")
}

func TestHTTPInvalid(t *testing.T) {
	for _, c := range []struct {
		s    HTTP
		want string
	}{
		{ForHTTP("/"), `ForHTTP: no port: add .OnPort("8080/tcp")`},
		{ForHTTP("/").OnPort("80/udp"), "only tcp ports"},
		{ForHTTP("/").OnPort("http"), `"http" is not a port number`},
		{ForHTTP("/").OnPort("80").WithMethod("GE T"), "invalid method"},
		{ForHTTP("/").OnPort("80").WithBody(Regexp("(")), "invalid pattern"},
	} {
		err := c.s.Wait(context.Background(), fake{})
		var pe *PermanentError
		require.ErrorAs(t, err, &pe)
		assert.ErrorContains(t, err, c.want)
	}
}

func TestPortRefusedThenOpen(t *testing.T) {
	err := ForPort("5432").WithTimeout(time.Second).Wait(context.Background(), fake{endpoint: closedPort(t)})
	assert.ErrorContains(t, err, "wait for port 5432/tcp (within 1s): not ready after")
	assert.ErrorContains(t, err, "connect: connection refused")

	addr := echoServer(t, "", 0)
	start := time.Now()
	require.NoError(t, ForPort("5432").Wait(context.Background(), fake{endpoint: addr}))
	assert.GreaterOrEqual(t, time.Since(start), defaultSettle, "without a refusal seen, a connection must stay open for the settle time")
}

func TestPortBehindAProxy(t *testing.T) {
	addr := echoServer(t, "", 5) // the first connections are closed at once
	start := time.Now()
	require.NoError(t, ForPort("6379/tcp").WithSettle(20*time.Millisecond).Wait(context.Background(), fake{endpoint: addr}))
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)

	addr = echoServer(t, "", 1<<30)
	err := ForPort("6379/tcp").WithTimeout(time.Second).Wait(context.Background(), fake{endpoint: addr})
	assert.ErrorContains(t, err, "accepted the connection and closed it at once")
}

// listeners is a fake ListenerTarget: what listens in the "container" is
// what addrs returns.
type listeners struct {
	fake
	addrs func() ([]netip.Addr, bool, error)
}

func (l listeners) TCPListeners(context.Context, int) ([]netip.Addr, bool, error) { return l.addrs() }

func TestPortWithListeners(t *testing.T) {
	any4 := []netip.Addr{netip.MustParseAddr("0.0.0.0")}
	// Behind a proxy that accepts and holds every connection, a settle
	// time of an hour: ready at once all the same, once something listens.
	addr := echoServer(t, "", 0)
	var calls atomic.Int32
	target := listeners{fake{endpoint: addr}, func() ([]netip.Addr, bool, error) {
		if calls.Add(1) < 3 {
			return nil, true, nil
		}
		return any4, true, nil
	}}
	start := time.Now()
	require.NoError(t, ForPort("8080").WithSettle(time.Hour).Wait(context.Background(), target))
	assert.Less(t, time.Since(start), time.Second)
	assert.EqualValues(t, 3, calls.Load())

	// Nothing listens: the reason says so, and no settle time is spent.
	err := ForPort("8080").WithTimeout(100*time.Millisecond).Wait(context.Background(),
		listeners{fake{endpoint: addr}, func() ([]netip.Addr, bool, error) { return nil, true, nil }})
	assert.ErrorContains(t, err, "nothing in the container listens on 8080/tcp yet")

	// Loopback only: never reachable through the published port, and the
	// error names the fix.
	err = ForPort("8080").WithTimeout(100*time.Millisecond).Wait(context.Background(),
		listeners{fake{endpoint: addr}, func() ([]netip.Addr, bool, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}, true, nil
		}})
	assert.ErrorContains(t, err, "listens on 8080/tcp only on loopback (127.0.0.1, ::1)")
	assert.ErrorContains(t, err, "listen on 0.0.0.0")

	// The target can't tell: asked once, then the settle time decides.
	calls.Store(0)
	closing := echoServer(t, "", 3)
	start = time.Now()
	require.NoError(t, ForPort("8080").WithSettle(20*time.Millisecond).Wait(context.Background(),
		listeners{fake{endpoint: closing}, func() ([]netip.Addr, bool, error) { calls.Add(1); return nil, false, nil }}))
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.EqualValues(t, 1, calls.Load())

	// A failure to find out: the connection decides this time.
	require.NoError(t, ForPort("8080").WithSettle(20*time.Millisecond).Wait(context.Background(),
		listeners{fake{endpoint: closing}, func() ([]netip.Addr, bool, error) { return nil, true, errors.New("inspect failed") }}))
}

func TestPortGreetingAndProbe(t *testing.T) {
	addr := echoServer(t, "220 mail.test ESMTP", 3)
	target := fake{endpoint: addr}
	start := time.Now()
	require.NoError(t, ForPort("25").WithGreeting(HasPrefix("220 ")).Wait(context.Background(), target))
	assert.Less(t, time.Since(start), defaultSettle, "a greeting needs no settle time")
	require.NoError(t, ForPort("25").WithProbe("EHLO x\n", Contains("EHLO x\n")).Wait(context.Background(), target))

	err := ForPort("25").WithGreeting(HasPrefix("421")).WithTimeout(time.Second).Wait(context.Background(), target)
	assert.ErrorContains(t, err, `greeting: want starts with "421", got "220 mail.test ESMTP\n"`)

	silent := echoServer(t, "", 0)
	err = ForPort("25").WithGreeting(HasPrefix("220")).WithTimeout(50*time.Millisecond).Wait(context.Background(), fake{endpoint: silent})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.ErrorContains(t, te.Err, "no greeting yet", "the only attempt was cut short by the timeout")
}

func TestSQL(t *testing.T) {
	addr := echoServer(t, "", 3)
	dsn := func(ep string) string { return ep }
	require.NoError(t, ForSQL("testdock-echo", "5432", dsn).Wait(context.Background(), fake{endpoint: addr}))

	err := ForSQL("testdock-echo", "5432", dsn).WithQuery("SELECT version()").WithTimeout(time.Second).
		Wait(context.Background(), fake{endpoint: closedPort(t)})
	assert.ErrorContains(t, err, `wait for SQL "SELECT version()" via testdock-echo on 5432/tcp (within 1s): not ready after`)
	assert.ErrorContains(t, err, "connection refused")

	err = ForSQL("nosuchdriver", "5432", dsn).Wait(context.Background(), fake{endpoint: addr})
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	assert.ErrorContains(t, err, `database/sql has no driver "nosuchdriver"`)
}

func TestEndpointNotPublished(t *testing.T) {
	err := ForPort("80").Wait(context.Background(), unpublished{})
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, ErrNotPublished)
}

type unpublished struct{ fake }

func (unpublished) Endpoint(_ context.Context, port string) (string, error) {
	return "", fmt.Errorf("port %s: %w", port, ErrNotPublished)
}

// Regression: a probe's bytes were printed in String, and so in timeout
// errors and test logs, with redis's AUTH password in them.
func TestPortProbeNotPrinted(t *testing.T) {
	s := ForPort("6379").WithProbe("AUTH s3cret-pw\r\nPING\r\n", Contains("+PONG"))
	assert.Equal(t, `port 6379/tcp answering a 22-byte probe with contains "+PONG"`, s.String())
	err := s.WithTimeout(50*time.Millisecond).Wait(context.Background(), fake{endpoint: closedPort(t)})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret-pw")
}
