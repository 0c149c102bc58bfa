package wait

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// echoServer listens on loopback like the testserver's -tcp: it sends
// greeting (if any) on each connection and echoes every line. The first
// reject connections are closed at once, as Docker's userland proxy does
// while nothing listens in the container. It stops when the test ends.
func echoServer(t testing.TB, greeting string, reject int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if n < reject {
				c.Close()
				continue
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				if greeting != "" {
					io.WriteString(c, greeting+"\n")
				}
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					io.WriteString(c, sc.Text()+"\n")
				}
			})
		}
	})
	return ln.Addr().String()
}

// closedPort returns a loopback address on which nothing listens: port 1
// (tcpmux), which no test and no Docker proxy binds.
func closedPort(testing.TB) string { return "127.0.0.1:1" }

// echoDriver is a database/sql driver for tests: the DSN is a "host:port"
// of an echo server (the testserver's -tcp or echoServer), and a query
// succeeds when the server echoes it. It is registered as "testdock-echo".
type echoDriver struct{}

func init() { sql.Register("testdock-echo", echoDriver{}) }

func (echoDriver) Open(dsn string) (driver.Conn, error) {
	c, err := net.DialTimeout("tcp", dsn, time.Second)
	if err != nil {
		return nil, err
	}
	return &echoConn{c: c, r: bufio.NewReader(c)}, nil
}

type echoConn struct {
	c net.Conn
	r *bufio.Reader
}

func (c *echoConn) QueryContext(ctx context.Context, query string, _ []driver.NamedValue) (driver.Rows, error) {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(time.Second)
	}
	c.c.SetDeadline(dl)
	if _, err := io.WriteString(c.c, query+"\n"); err != nil {
		return nil, err
	}
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(line) == query {
			return &echoRows{}, nil
		}
		// A greeting or an old answer: read on.
	}
}

func (c *echoConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (c *echoConn) Close() error                        { return c.c.Close() }
func (c *echoConn) Begin() (driver.Tx, error)           { return nil, errors.New("not supported") }

type echoRows struct{ done bool }

func (r *echoRows) Columns() []string { return []string{"answer"} }
func (r *echoRows) Close() error      { return nil }
func (r *echoRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}
