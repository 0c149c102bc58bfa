package wait

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// httpBodyMax is the most of a response body that is read and matched.
const httpBodyMax = 1 << 20

// HTTP waits until an HTTP endpoint of the container answers as expected,
// by default with a 2xx status to GET. Make one with ForHTTP.
//
// Each attempt uses a new connection to the published port (no proxy from
// the environment, no keep-alive) and does not follow redirects: a 3xx is
// an answer like any other. A stopped container ends the wait at once with
// a *PermanentError.
//
// An HTTP is immutable and safe for concurrent use by parallel tests.
type HTTP struct {
	path     string
	port     string
	method   string
	body     []byte
	headers  []header
	tls      *tls.Config // nil: plain HTTP
	status   func(int) bool
	statusIs string // describes status
	matchers []bodyMatcher
	timeout  time.Duration
	err      error
}

type header struct{ name, value string }

// bodyMatcher checks the body (header == "") or a header of a response.
type bodyMatcher struct {
	header string
	m      Matcher
}

var (
	_ Strategy        = HTTP{}
	_ tcwait.Strategy = HTTP{}
)

// ForHTTP waits until path (with an optional query, such as
// "/health?full=1") answers on the port set by OnPort.
func ForHTTP(path string) HTTP {
	s := HTTP{path: path, method: http.MethodGet, status: is2xx, statusIs: "2xx"}
	if !strings.HasPrefix(path, "/") {
		s.path = "/" + path
	}
	if _, err := url.ParseRequestURI(s.path); err != nil {
		s.err = fmt.Errorf("ForHTTP: path %q: %w", path, err)
	}
	return s
}

func is2xx(code int) bool { return code >= 200 && code < 300 }

// OnPort returns a copy of s that asks the container port ("8080/tcp" or
// "8080"). It must be set.
func (s HTTP) OnPort(port string) HTTP {
	p, err := parsePort("ForHTTP", port)
	s.port = p
	if err != nil {
		s.port = port
		s.err = err
	}
	return s
}

// WithMethod returns a copy of s that uses method (default GET).
func (s HTTP) WithMethod(method string) HTTP {
	s.method = method
	if method == "" || strings.ContainsAny(method, " \t\r\n") {
		s.err = fmt.Errorf("ForHTTP: invalid method %q", method)
	}
	return s
}

// WithRequestBody returns a copy of s that sends body with each request.
func (s HTTP) WithRequestBody(body string) HTTP {
	s.body = []byte(body)
	return s
}

// WithRequestHeader returns a copy of s that sends the header name: value
// with each request; "Host" sets the request's host.
func (s HTTP) WithRequestHeader(name, value string) HTTP {
	s.headers = append(slices.Clip(s.headers), header{name, value})
	return s
}

// WithTLS returns a copy of s that speaks HTTPS, verifying the server by
// cfg (nil: the host's roots, which a test server's certificate rarely
// chains to; set cfg.RootCAs). cfg is cloned; the caller may reuse it.
func (s HTTP) WithTLS(cfg *tls.Config) HTTP {
	if cfg == nil {
		cfg = &tls.Config{}
	}
	s.tls = cfg.Clone()
	return s
}

// WithInsecureTLS returns a copy of s that speaks HTTPS without verifying
// the server's certificate, as fits a container's self-signed one.
func (s HTTP) WithInsecureTLS() HTTP {
	s.tls = &tls.Config{InsecureSkipVerify: true}
	return s
}

// WithStatus returns a copy of s that is ready when the status is one of
// codes (default: any 2xx).
func (s HTTP) WithStatus(codes ...int) HTTP {
	codes = slices.Clone(codes)
	if len(codes) == 0 {
		s.err = errors.New("ForHTTP: WithStatus needs at least one status code")
	}
	s.status = func(code int) bool { return slices.Contains(codes, code) }
	s.statusIs = fmt.Sprint(codes)
	if len(codes) == 1 {
		s.statusIs = strconv.Itoa(codes[0])
	}
	return s
}

// WithStatusFunc returns a copy of s that is ready when ok(status) is
// true; desc names the condition in messages. ok must be safe for
// concurrent use.
func (s HTTP) WithStatusFunc(desc string, ok func(status int) bool) HTTP {
	s.status, s.statusIs = ok, desc
	return s
}

// WithBody returns a copy of s that is ready only when the response body
// (its first MiB) matches m too. Several matchers must all match.
func (s HTTP) WithBody(m Matcher) HTTP {
	s.matchers = append(slices.Clip(s.matchers), bodyMatcher{m: m})
	return s
}

// WithHeader returns a copy of s that is ready only when the response
// header name (its values joined by ", ") matches m too.
func (s HTTP) WithHeader(name string, m Matcher) HTTP {
	s.matchers = append(slices.Clip(s.matchers), bodyMatcher{header: http.CanonicalHeaderKey(name), m: m})
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s HTTP) WithTimeout(d time.Duration) HTTP {
	s.timeout = d
	return s
}

// String describes s, such as "HTTP GET /health on 8080/tcp answering 2xx".
func (s HTTP) String() string {
	scheme := "HTTP"
	if s.tls != nil {
		scheme = "HTTPS"
	}
	port := s.port
	if port == "" {
		port = "(no port)"
	}
	desc := fmt.Sprintf("%s %s %s on %s answering %s", scheme, s.method, s.path, port, s.statusIs)
	for _, m := range s.matchers {
		if m.header == "" {
			desc += fmt.Sprintf(", body %s", m.m)
		} else {
			desc += fmt.Sprintf(", %s %s", m.header, m.m)
		}
	}
	return withTimeout(desc, s.timeout)
}

// Wait waits until the endpoint answers as expected, the container stops
// or ctx ends.
func (s HTTP) Wait(ctx context.Context, t Target) error {
	if err := s.invalid(); err != nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(err)
	}
	c := &httpCheck{s: s, ep: endpoint{port: s.port}}
	c.transport = &http.Transport{
		Proxy:             nil,
		DialContext:       (&net.Dialer{}).DialContext,
		DisableKeepAlives: true,
		TLSClientConfig:   s.tls.Clone(),
	}
	defer c.transport.CloseIdleConnections()
	c.client = &http.Client{
		Transport:     c.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return poll(ctx, t, s.String(), s.timeout, true, c.check)
}

func (s HTTP) invalid() error {
	if s.err != nil {
		return s.err
	}
	if s.port == "" {
		return errors.New(`ForHTTP: no port: add .OnPort("8080/tcp")`)
	}
	for _, m := range s.matchers {
		if err := m.m.Err(); err != nil {
			return fmt.Errorf("ForHTTP: %w", err)
		}
	}
	return nil
}

// WaitUntilReady lets testcontainers-go use s.
func (s HTTP) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s HTTP) Timeout() *time.Duration { return timeoutPtr(s.timeout) }

// httpCheck is the state of one HTTP wait.
type httpCheck struct {
	s         HTTP
	ep        endpoint
	transport *http.Transport
	client    *http.Client
}

func (c *httpCheck) check(ctx context.Context, t Target) Result {
	addr, res, ok := c.ep.get(ctx, t)
	if !ok {
		return res
	}
	scheme := "http"
	if c.s.tls != nil {
		scheme = "https"
	}
	u := scheme + "://" + addr + c.s.path
	req, err := http.NewRequestWithContext(ctx, c.s.method, u, bytes.NewReader(c.s.body))
	if err != nil {
		return Never("%w", err)
	}
	for _, h := range c.s.headers {
		if strings.EqualFold(h.name, "Host") {
			req.Host = h.value
			continue
		}
		req.Header.Add(h.name, h.value)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if !expired(ctx) && (closedAtOnce(err) || strings.Contains(err.Error(), "server closed idle connection")) {
			return NotYet("%s %s: %w", c.s.method, u, notListening(addr, c.s.port))
		}
		return NotYet("%w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, httpBodyMax))
	if err != nil {
		return NotYet("%s %s: HTTP %d, reading the body: %w", c.s.method, u, resp.StatusCode, err)
	}
	if !c.s.status(resp.StatusCode) {
		return NotYet("HTTP %d from %s, want %s: %s", resp.StatusCode, c.s.path, c.s.statusIs, snippet(body))
	}
	for _, m := range c.s.matchers {
		if m.header == "" {
			if !m.m.Match(body) {
				return NotYet("HTTP %d from %s: %w", resp.StatusCode, c.s.path, m.m.mismatch("body", body))
			}
			continue
		}
		v := []byte(strings.Join(resp.Header.Values(m.header), ", "))
		if !m.m.Match(v) {
			return NotYet("HTTP %d from %s: %w", resp.StatusCode, c.s.path, m.m.mismatch("header "+m.header, v))
		}
	}
	return Ready()
}
