package wait

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"syscall"
)

// parsePort normalizes "8080", "8080/tcp" and "8080/TCP" to "8080/tcp" and
// checks that it is a TCP port, which is what a connection can reach.
func parsePort(who, port string) (string, error) {
	if port == "" {
		return "", fmt.Errorf("%s: no port: name the container port, such as \"8080/tcp\"", who)
	}
	num, proto, found := strings.Cut(strings.TrimSpace(port), "/")
	if !found {
		proto = "tcp"
	}
	proto = strings.ToLower(proto)
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%s: port %q: %q is not a port number (1-65535); write ports as \"8080/tcp\" or \"8080\"", who, port, num)
	}
	if proto != "tcp" {
		return "", fmt.Errorf("%s: port %q: only tcp ports can be reached by a connection", who, port)
	}
	return strconv.Itoa(n) + "/tcp", nil
}

// endpoint finds where a container port is published, once per wait.
type endpoint struct {
	port string // "8080/tcp"
	addr string // "127.0.0.1:49153" once known
}

// get returns the address, or the Result to give when it is not known:
// Never when the port is not published at all, else NotYet.
func (e *endpoint) get(ctx context.Context, t Target) (string, Result, bool) {
	if e.addr != "" {
		return e.addr, Result{}, true
	}
	addr, err := t.Endpoint(ctx, e.port)
	if err != nil {
		if errors.Is(err, ErrNotPublished) {
			return "", Never("%w", err), false
		}
		return "", NotYet("endpoint of %s: %w", e.port, err), false
	}
	e.addr = addr
	return addr, Result{}, true
}

// closedAtOnce reports whether err says that the peer closed or reset the
// connection: what Docker's userland proxy does to a connection to a
// published port on which nothing listens in the container.
func closedAtOnce(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// notListening is the reason given for a connection closed at once.
func notListening(addr, port string) error {
	return fmt.Errorf("%s accepted the connection and closed it at once: the port is published, but nothing listens on %s in the container yet", addr, port)
}
