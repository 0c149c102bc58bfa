package wait

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

const (
	// defaultSettle is how long a connection must stay open to count as
	// accepted by the server, when Docker's userland proxy may be in the
	// way.
	defaultSettle = 50 * time.Millisecond
	// settleMax caps the settle time however slow the proxy was seen to be.
	settleMax = time.Second
	// protocolTimeout bounds the wait for a greeting or an answer.
	protocolTimeout = 2 * time.Second
	// protocolQuiet is how long more of a greeting or an answer that does
	// not match yet is waited for.
	protocolQuiet = 100 * time.Millisecond
	// protocolMax is the most of a greeting or an answer that is read.
	protocolMax = 64 << 10
)

// Port waits until a published TCP port accepts connections from the host,
// and optionally until the server greets or answers a probe. It needs
// nothing inside the image. Make one with ForPort.
//
// Docker publishes ports on 127.0.0.1 through its userland proxy, which
// accepts every connection and then closes it at once when nothing listens
// in the container, so an accepted connection alone proves nothing. Where
// the target tells which ports listen in the container (a ListenerTarget:
// fixture's, for a daemon on this machine, reads the container's socket
// tables from the host), the port is ready once a socket in the container
// listens on it, on an address its published port reaches, and a
// connection to the published address is accepted. Elsewhere, Port,
// without a protocol check, counts a port as open when a connection stays
// open for the settle time (WithSettle; by default 50 ms, and at least
// eight times the slowest close seen during the wait), or at once where
// connections are refused while nothing listens (no userland proxy). A
// greeting (WithGreeting) or an answer (WithProbe) proves that the server
// itself is there: the port is then ready as soon as it speaks.
//
// A stopped container ends the wait at once with a *PermanentError.
//
// A Port is immutable and safe for concurrent use by parallel tests.
type Port struct {
	port     string
	greeting *Matcher
	probe    []byte
	answer   *Matcher
	settle   time.Duration
	timeout  time.Duration
	err      error
}

var (
	_ Strategy        = Port{}
	_ tcwait.Strategy = Port{}
)

// ForPort waits until the container port ("5432/tcp" or "5432") accepts
// connections at its published address.
func ForPort(port string) Port {
	p, err := parsePort("ForPort", port)
	if p == "" {
		p = port
	}
	return Port{port: p, settle: defaultSettle, err: err}
}

// WithGreeting returns a copy of s that is ready when the server, right
// after accepting a connection, sends something that m matches, such as
// HasPrefix("220 ").
func (s Port) WithGreeting(m Matcher) Port {
	s.greeting = &m
	s.probe, s.answer = nil, nil
	return s
}

// WithProbe returns a copy of s that sends send on each connection and is
// ready when the server's answer matches m, such as
// WithProbe("PING\r\n", HasPrefix("+PONG")).
func (s Port) WithProbe(send string, answer Matcher) Port {
	s.probe, s.answer = []byte(send), &answer
	s.greeting = nil
	if send == "" {
		s.err = errors.New("ForPort: the probe to send is empty")
	}
	return s
}

// WithSettle returns a copy of s for which a connection counts as accepted
// by the server once it stayed open for d (default 50 ms), where the target
// can't tell which ports listen in the container; see Port.
func (s Port) WithSettle(d time.Duration) Port {
	s.settle = d
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Port) WithTimeout(d time.Duration) Port {
	s.timeout = d
	return s
}

// String describes s, such as "port 5432/tcp" or
// `port 25/tcp greeting starts with "220"`. It gives a probe's size, not its
// bytes: a probe often holds credentials (redis's AUTH, MQTT's CONNECT),
// and String goes into error messages and test logs.
func (s Port) String() string {
	desc := "port " + s.port
	switch {
	case s.greeting != nil:
		desc += fmt.Sprintf(" greeting %s", s.greeting)
	case s.answer != nil:
		desc += fmt.Sprintf(" answering a %d-byte probe with %s", len(s.probe), s.answer)
	}
	return withTimeout(desc, s.timeout)
}

// Wait waits until the port is ready, the container stops or ctx ends.
func (s Port) Wait(ctx context.Context, t Target) error {
	if err := s.invalid(); err != nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(err)
	}
	c := &portCheck{s: s, ep: endpoint{port: s.port}}
	return poll(ctx, t, s.String(), s.timeout, true, c.check)
}

func (s Port) invalid() error {
	switch {
	case s.err != nil:
		return s.err
	case s.greeting != nil && s.greeting.Err() != nil:
		return fmt.Errorf("ForPort: greeting: %w", s.greeting.Err())
	case s.answer != nil && s.answer.Err() != nil:
		return fmt.Errorf("ForPort: answer: %w", s.answer.Err())
	}
	return nil
}

// WaitUntilReady lets testcontainers-go use s.
func (s Port) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Port) Timeout() *time.Duration { return timeoutPtr(s.timeout) }

// portCheck is the state of one Port wait.
type portCheck struct {
	s       Port
	ep      endpoint
	direct  bool          // a connection was refused: no proxy in the way
	slowest time.Duration // the slowest close of a connection seen
	blind   bool          // the target can't tell which ports listen
}

func (c *portCheck) check(ctx context.Context, t Target) Result {
	addr, res, ok := c.ep.get(ctx, t)
	if !ok {
		return res
	}
	listening := false
	if lt, ok := t.(ListenerTarget); ok && !c.blind {
		num, _ := strconv.Atoi(strings.TrimSuffix(c.s.port, "/tcp"))
		addrs, known, err := lt.TCPListeners(ctx, num)
		switch {
		case err != nil:
			// Not known this time: the connection decides, as without it.
		case !known:
			c.blind = true
		default:
			if res, ready := listenResult(addrs, c.s.port); !ready {
				return res
			}
			listening = true
		}
	}
	began := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			c.direct = true
		}
		return NotYet("%w", err)
	}
	defer conn.Close()
	defer onDone(ctx, func() { conn.SetDeadline(time.Now()) })()

	switch {
	case c.s.answer != nil:
		if _, err := conn.Write(c.s.probe); err != nil {
			return c.closed(ctx, addr, began, err)
		}
		return c.expect(ctx, conn, addr, began, "answer", *c.s.answer)
	case c.s.greeting != nil:
		return c.expect(ctx, conn, addr, began, "greeting", *c.s.greeting)
	}
	if c.direct || listening {
		return Ready()
	}
	settle := min(max(c.s.settle, 8*c.slowest), settleMax)
	conn.SetReadDeadline(time.Now().Add(settle))
	var b [1]byte
	n, err := conn.Read(b[:])
	switch {
	case expired(ctx):
		return NotYet("%w", ctxErr(ctx))
	case n > 0 || errors.Is(err, os.ErrDeadlineExceeded):
		return Ready()
	default:
		return c.closed(ctx, addr, began, err)
	}
}

// listenResult tells from the addresses a container listens on for port
// whether its published port can reach a server: a socket on every
// interface, or on one that is not loopback.
func listenResult(addrs []netip.Addr, port string) (Result, bool) {
	if len(addrs) == 0 {
		return NotYet("nothing in the container listens on %s yet", port), false
	}
	var loop []string
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return Result{}, true
		}
		loop = append(loop, a.String())
	}
	return NotYet("the container listens on %s only on loopback (%s), which its published port can't reach: make the server listen on 0.0.0.0", port, strings.Join(loop, ", ")), false
}

// closed is the Result for a connection that ended with err.
func (c *portCheck) closed(ctx context.Context, addr string, began time.Time, err error) Result {
	if expired(ctx) {
		return NotYet("%w", ctxErr(ctx))
	}
	if closedAtOnce(err) {
		c.slowest = max(c.slowest, time.Since(began))
		return NotYet("%w", notListening(addr, c.s.port))
	}
	return NotYet("%s: %w", addr, err)
}

// expect reads from conn until m matches what was read, the peer closes,
// protocolTimeout passes, or protocolQuiet passes after the last data
// without a match.
func (c *portCheck) expect(ctx context.Context, conn net.Conn, addr string, began time.Time, what string, m Matcher) Result {
	conn.SetReadDeadline(time.Now().Add(protocolTimeout))
	var got []byte
	buf := make([]byte, 4096)
	for len(got) < protocolMax {
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if n > 0 && m.Match(got) {
			return Ready()
		}
		if err == nil {
			// More may come, but not much later.
			conn.SetReadDeadline(time.Now().Add(protocolQuiet))
			continue
		}
		switch {
		case len(got) > 0:
			return NotYet("%s: %w", addr, m.mismatch(what, got))
		case expired(ctx):
			return NotYet("%s: no %s yet", addr, what)
		case closedAtOnce(err):
			return c.closed(ctx, addr, began, err)
		case errors.Is(err, os.ErrDeadlineExceeded):
			return NotYet("%s: no %s within %v", addr, what, protocolTimeout)
		default:
			return NotYet("%s: %w", addr, err)
		}
	}
	return NotYet("%s: %w", addr, m.mismatch(what, got))
}
