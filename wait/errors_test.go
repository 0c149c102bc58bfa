package wait

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeoutErrorText(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 49153},
		Err: &net.OpError{Op: "connect", Err: syscall.ECONNREFUSED}}
	e := &TimeoutError{Strategy: "port 5432/tcp", Waited: 2001 * time.Millisecond, Limit: 2 * time.Second,
		Err: dial, LastLogs: "starting\nstill starting\n", logsRead: true}
	assert.Equal(t, "wait for port 5432/tcp: not ready after 2.001s (limit 2s): "+
		"dial tcp 127.0.0.1:49153: connect: connection refused\n"+
		"--- last log lines ---\nstarting\nstill starting", e.Error())
	assert.ErrorIs(t, e, context.DeadlineExceeded)
	assert.ErrorIs(t, e, syscall.ECONNREFUSED, "the last reason is reachable")
	var to interface{ Timeout() bool }
	require.ErrorAs(t, e, &to)
	assert.True(t, to.Timeout())

	e = &TimeoutError{Strategy: "x", Waited: 1500 * time.Microsecond, logsRead: true}
	assert.Equal(t, "wait for x: not ready after 1.5ms: no check finished in time\n"+
		"(no log output since the container started)", e.Error())
}

func TestPermanentErrorText(t *testing.T) {
	exit := &ExitError{ExitCode: 3, Status: "exited"}
	e := &PermanentError{Strategy: `log line "ready"`, Waited: 712 * time.Millisecond, Err: exit,
		LastLogs: "boom\n", logsRead: true}
	assert.Equal(t, `wait for log line "ready": gave up after 712ms: container exited with code 3 (OOMKilled: false)`+
		"\n--- last log lines ---\nboom", e.Error())
	var ee *ExitError
	require.ErrorAs(t, e, &ee)
	assert.Equal(t, 3, ee.ExitCode)

	oom := &ExitError{ExitCode: 137, OOMKilled: true, Status: "exited"}
	assert.Equal(t, "container exited with code 137 (OOMKilled: true: it ran out of memory; raise its memory limit)", oom.Error())
	dead := &ExitError{ExitCode: 128, Status: "dead", Message: "OCI runtime create failed"}
	assert.Equal(t, "container stopped (dead) with code 128 (OOMKilled: false): OCI runtime create failed", dead.Error())
}

func TestPollReadyAfterAttempts(t *testing.T) {
	var calls atomic.Int32
	s := ForFunc(func(context.Context, Target) Result {
		if calls.Add(1) < 5 {
			return NotYet("attempt %d", calls.Load())
		}
		return Ready()
	})
	start := time.Now()
	require.NoError(t, s.Wait(context.Background(), fake{}))
	assert.EqualValues(t, 5, calls.Load())
	assert.Less(t, time.Since(start), 500*time.Millisecond, "the first attempts are a millisecond apart")
}

func TestPollTimeoutNamesTheLastReason(t *testing.T) {
	var calls atomic.Int32
	s := ForFunc(func(context.Context, Target) Result {
		return NotYet("HTTP 503 from /healthz (attempt %d)", calls.Add(1))
	}).WithName("health").WithTimeout(50 * time.Millisecond)
	err := s.Wait(context.Background(), fake{logs: "line 1\nline 2\n"})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "health (within 50ms)", te.Strategy)
	assert.Equal(t, 50*time.Millisecond, te.Limit)
	assert.GreaterOrEqual(t, te.Waited, 50*time.Millisecond)
	// The last attempt may have been cut short by the timeout: then the
	// one before it gives the reason.
	n := calls.Load()
	assert.Regexp(t, fmt.Sprintf(`HTTP 503 from /healthz \(attempt (%d|%d)\)`, n-1, n), err.Error(), "the last reason, not an earlier one")
	assert.Contains(t, err.Error(), "(limit 50ms)")
	assert.True(t, strings.HasSuffix(err.Error(), "--- last log lines ---\nline 1\nline 2"), err.Error())
}

func TestPollNever(t *testing.T) {
	s := ForFunc(func(context.Context, Target) Result { return Never("wrong password") }).WithName("login")
	err := s.Wait(context.Background(), fake{logs: "FATAL: password authentication failed\n"})
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "wait for login: gave up after "+round(pe.Waited).String()+": wrong password\n"+
		"--- last log lines ---\nFATAL: password authentication failed", err.Error())
}

func TestPollNoticesDeath(t *testing.T) {
	var calls atomic.Int32
	target := fake{
		logs: "about to crash\n",
		state: func() State {
			if calls.Add(1) < 3 {
				return State{Running: true, Status: "running"}
			}
			return State{Status: "exited", ExitCode: 137, OOMKilled: true}
		},
	}
	s := ForFunc(func(context.Context, Target) Result { return NotYet("not listening") })
	start := time.Now()
	err := s.Wait(context.Background(), target)
	assert.Less(t, time.Since(start), 2*time.Second)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.True(t, ee.OOMKilled)
	assert.Contains(t, err.Error(), "container exited with code 137 (OOMKilled: true")
	assert.Contains(t, err.Error(), "about to crash")
}

func TestPollCancelled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("the test ended")
	s := ForFunc(func(context.Context, Target) Result {
		cancel(cause)
		return NotYet("still starting")
	})
	err := s.Wait(ctx, fake{})
	assert.ErrorIs(t, err, cause)
	assert.Contains(t, err.Error(), "still starting")
	var te *TimeoutError
	assert.False(t, errors.As(err, &te), "a cancellation is not a timeout")
}

func TestTail(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	b.WriteString(strings.Repeat("x", 3000) + "\n")
	b.WriteString("no newline at the end")
	lines, err := tail(strings.NewReader(b.String()), 20)
	assert.Equal(t, "EOF", err.Error())
	require.Len(t, lines, 20)
	assert.Equal(t, "line 32", lines[0])
	assert.Equal(t, strings.Repeat("x", logLineMax)+" …", lines[18])
	assert.Equal(t, "no newline at the end", lines[19])

	lines, _ = tail(strings.NewReader("a\n\nb\n"), 20)
	assert.Equal(t, []string{"a", "", "b"}, lines, "blank lines are kept")
}
