package wait

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	tcexec "github.com/testcontainers/testcontainers-go/exec"
	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// tcDefaultTimeout bounds a wait that testcontainers-go starts when neither
// the strategy (WithTimeout) nor the context sets a limit, as
// testcontainers-go's own strategies do.
const tcDefaultTimeout = 60 * time.Second

// waitTC runs s on a testcontainers-go target: our strategies' side of
// testcontainers-go's wait.Strategy.
func waitTC(ctx context.Context, s Strategy, timeout time.Duration, t tcwait.StrategyTarget) error {
	if _, ok := ctx.Deadline(); !ok && timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, tcDefaultTimeout)
		defer cancel()
	}
	return s.Wait(ctx, FromTestcontainersTarget(t))
}

// FromTestcontainersTarget lets our strategies wait on a testcontainers-go
// target, such as a *testcontainers.DockerContainer. Every strategy of this
// package also is a testcontainers-go wait.Strategy through it, so it can
// be handed to testcontainers-go and its modules:
//
//	testcontainers.Run(ctx, "redis:7", testcontainers.WithWaitStrategy(wait.ForLog("Ready to accept connections")))
//
// A testcontainers-go target can not do all a Target promises, and the
// adapter makes up for it as follows:
//   - Logs has neither since nor follow: the adapter reads the whole log
//     each time and, to follow it, reads it again after a pause (as
//     testcontainers-go's own ForLog does) and hands on what is new. So
//     ForLog counts lines of earlier starts of the container too, and
//     notices a line within a poll pause (1 ms to 50 ms) instead of at once.
//   - Endpoint is Host and MappedPort; a port without "/proto" is tcp.
//   - Exec runs the command through testcontainers-go, with stdout and
//     stderr kept apart.
//   - ReadFile is CopyFileFromContainer.
func FromTestcontainersTarget(t tcwait.StrategyTarget) Target {
	return tcAdapter{t}
}

// tcAdapter is a Target over a testcontainers-go target.
type tcAdapter struct{ t tcwait.StrategyTarget }

// Endpoint is Host and MappedPort; a port without "/proto" is tcp.
func (a tcAdapter) Endpoint(ctx context.Context, port string) (string, error) {
	if !strings.Contains(port, "/") {
		port += "/tcp"
	}
	host, err := a.t.Host(ctx)
	if err != nil {
		return "", fmt.Errorf("host: %w", err)
	}
	p, err := a.t.MappedPort(ctx, port)
	if err != nil {
		return "", fmt.Errorf("mapped port %s: %w", port, err)
	}
	if p.Num() == 0 {
		return "", fmt.Errorf("port %s is not mapped yet", port)
	}
	return net.JoinHostPort(host, strconv.Itoa(int(p.Num()))), nil
}

// State converts testcontainers-go's (Docker's) state.
func (a tcAdapter) State(ctx context.Context) (State, error) {
	s, err := a.t.State(ctx)
	if err != nil {
		return State{}, err
	}
	if s == nil {
		return State{}, errors.New("the container has no state")
	}
	st := State{
		Running:   s.Running,
		Status:    string(s.Status),
		ExitCode:  s.ExitCode,
		OOMKilled: s.OOMKilled,
		Error:     s.Error,
	}
	st.StartedAt, _ = time.Parse(time.RFC3339Nano, s.StartedAt)
	st.FinishedAt, _ = time.Parse(time.RFC3339Nano, s.FinishedAt)
	if h := s.Health; h != nil {
		st.Health = string(h.Status)
		if n := len(h.Log); n > 0 && h.Log[n-1] != nil {
			st.HealthLog = strings.TrimSpace(h.Log[n-1].Output)
		}
	}
	return st, nil
}

// Logs ignores since (testcontainers-go can not filter by time) and
// emulates follow by reading the whole log again after each pause.
func (a tcAdapter) Logs(ctx context.Context, _ time.Time, follow bool) (io.ReadCloser, error) {
	if !follow {
		return a.t.Logs(ctx)
	}
	return &polledLog{ctx: ctx, a: a, start: time.Now()}, nil
}

// Exec runs cmd with stdout and stderr kept apart.
func (a tcAdapter) Exec(ctx context.Context, cmd []string) (ExecResult, error) {
	var out execOutput
	code, r, err := a.t.Exec(ctx, cmd, tcexec.ProcessOptionFunc(out.capture))
	if err != nil {
		return ExecResult{}, err
	}
	if !out.captured && r != nil {
		// The target did not apply the option: its reader has the output.
		b, err := io.ReadAll(r)
		if err != nil {
			return ExecResult{}, fmt.Errorf("read the output: %w", err)
		}
		out.stdout = b
	}
	return ExecResult{ExitCode: code, Stdout: out.stdout, Stderr: out.stderr}, out.err
}

// ReadFile reads the file through CopyFileFromContainer.
func (a tcAdapter) ReadFile(ctx context.Context, path string) ([]byte, error) {
	rc, err := a.t.CopyFileFromContainer(ctx, path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// execOutput takes apart the multiplexed output of a testcontainers-go
// Exec into stdout and stderr.
type execOutput struct {
	captured       bool
	stdout, stderr []byte
	err            error
}

// capture is a testcontainers-go process option: once the output is there,
// it splits it and leaves the option's reader empty.
func (o *execOutput) capture(opts *tcexec.ProcessOptions) {
	if opts.Reader == nil {
		return
	}
	b, err := io.ReadAll(opts.Reader)
	opts.Reader = bytes.NewReader(nil)
	o.captured = true
	if err != nil {
		o.err = fmt.Errorf("read the output: %w", err)
		return
	}
	o.stdout, o.stderr = demux(b)
}

// demux splits Docker's multiplexed stream (frames with an 8-byte header:
// stream 1 or 2, three zero bytes, a big-endian length). Data that is not
// multiplexed is returned as stdout.
func demux(b []byte) (stdout, stderr []byte) {
	var out, errOut []byte
	for rest := b; len(rest) > 0; {
		if len(rest) < 8 || rest[0] > 2 || rest[1] != 0 || rest[2] != 0 || rest[3] != 0 {
			return b, nil
		}
		n := int(binary.BigEndian.Uint32(rest[4:8]))
		if len(rest)-8 < n {
			return b, nil
		}
		if rest[0] == 2 {
			errOut = append(errOut, rest[8:8+n]...)
		} else {
			out = append(out, rest[8:8+n]...)
		}
		rest = rest[8+n:]
	}
	return out, errOut
}

// polledLog follows a testcontainers-go log by reading it whole after
// each pause and handing on what is new. It ends with io.EOF once the
// container has stopped and its last output was handed on.
type polledLog struct {
	ctx   context.Context
	a     tcAdapter
	start time.Time
	off   int    // bytes of the log handed on so far
	buf   []byte // new bytes not yet read
	done  bool   // the container stopped: buf is the last of it
}

// Read hands on new log output, reading the log again after a pause
// while there is none.
func (p *polledLog) Read(b []byte) (int, error) {
	for len(p.buf) == 0 {
		if p.done {
			return 0, io.EOF
		}
		// Look at the state first, so that output written before a
		// stop is read after it.
		s, err := p.a.State(p.ctx)
		p.done = err == nil && stopped(s)
		all, err := p.readAll()
		if err != nil {
			return 0, err
		}
		if len(all) > p.off {
			p.buf = all[p.off:]
		}
		p.off = len(all)
		if len(p.buf) == 0 && !p.done && !pollBackoff().sleep(p.ctx, time.Since(p.start)) {
			return 0, p.ctx.Err()
		}
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	return n, nil
}

func (p *polledLog) readAll() ([]byte, error) {
	rc, err := p.a.t.Logs(p.ctx)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Close does nothing: reads end with the context.
func (p *polledLog) Close() error { return nil }
