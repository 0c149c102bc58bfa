package wait

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

const (
	// attemptTimeout bounds one check, so that a hung connection is
	// retried instead of using up the whole wait.
	attemptTimeout = 5 * time.Second
	// logLines is how many of the container's last log lines go into
	// errors.
	logLines = 20
	// logLineMax shortens longer log lines in errors.
	logLineMax = 1000
	// logsTimeout bounds the reading of the last log lines for an error.
	logsTimeout = 5 * time.Second
)

// checkFunc is one attempt of a polling strategy.
type checkFunc func(ctx context.Context, t Target) Result

// run is one wait in progress: what it waits for and since when.
type run struct {
	desc  string
	start time.Time
	limit time.Duration
}

// begin starts a wait for desc, bounding ctx by timeout when it is set.
func begin(ctx context.Context, desc string, timeout time.Duration) (context.Context, context.CancelFunc, *run) {
	r := &run{desc: desc, start: time.Now()}
	dl, ok := ctx.Deadline()
	if ok {
		r.limit = dl.Sub(r.start)
	}
	cancel := context.CancelFunc(func() {})
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
		if !ok || timeout < r.limit {
			r.limit = timeout
		}
	}
	return ctx, cancel, r
}

// invalid reports a strategy that can not work as configured.
func (r *run) invalid(err error) error {
	return &PermanentError{Strategy: r.desc, Err: err}
}

// never reports that the target can never become ready, with its last
// log lines.
func (r *run) never(ctx context.Context, t Target, err error) error {
	e := &PermanentError{Strategy: r.desc, Waited: time.Since(r.start), Err: err}
	e.LastLogs, e.logsRead = logsFor(ctx, t)
	return e
}

// failed reports err, which ends the wait: a *PermanentError, or what
// ended says when ctx has ended (which may be why err happened).
func (r *run) failed(ctx context.Context, t Target, err error) error {
	if expired(ctx) {
		return r.ended(ctx, t, err)
	}
	return r.never(ctx, t, err)
}

// ended reports a wait whose context ended before the target was ready:
// an *ExitError from the death watch becomes a *PermanentError, a deadline
// a *TimeoutError, and any other cancellation is returned with its cause.
func (r *run) ended(ctx context.Context, t Target, last error) error {
	cause, err := context.Cause(ctx), ctx.Err()
	if err == nil {
		// The deadline passed by the clock; the context's timer has not
		// fired yet.
		cause, err = context.DeadlineExceeded, context.DeadlineExceeded
	}
	var ee *ExitError
	if errors.As(cause, &ee) {
		return r.never(ctx, t, cause)
	}
	waited := time.Since(r.start)
	if errors.Is(err, context.DeadlineExceeded) {
		e := &TimeoutError{Strategy: r.desc, Waited: waited, Limit: r.limit, Err: last}
		e.LastLogs, e.logsRead = logsFor(ctx, t)
		return e
	}
	if last != nil {
		return fmt.Errorf("wait for %s: stopped after %v (last: %v): %w", r.desc, round(waited), last, cause)
	}
	return fmt.Errorf("wait for %s: stopped after %v: %w", r.desc, round(waited), cause)
}

// poll runs check until it answers Ready or Never, or ctx ends, pausing
// between attempts by pollBackoff. With watch, a container that stops
// ends the wait at once with a *PermanentError. Every goroutine it starts
// has ended when it returns.
func poll(ctx context.Context, t Target, desc string, timeout time.Duration, watch bool, check checkFunc) error {
	ctx, cancel, r := begin(ctx, desc, timeout)
	defer cancel()
	ctx, stop := context.WithCancelCause(ctx)
	var wg sync.WaitGroup
	defer func() {
		stop(nil)
		wg.Wait()
	}()
	if watch {
		wg.Go(func() { watchExit(ctx, t, stop) })
	}
	var last error
	for {
		actx, acancel := context.WithTimeout(ctx, attemptTimeout)
		res := check(actx, t)
		acancel()
		if res.ready {
			return nil
		}
		if res.reason == nil {
			res.reason = errors.New("not ready (the check gave no reason)")
		}
		if expired(ctx) {
			// The attempt was cut short by the end of the wait: its
			// reason is the end itself, unless there is no other.
			if last == nil {
				last = res.reason
			}
			return r.ended(ctx, t, last)
		}
		if res.never {
			return r.never(ctx, t, res.reason)
		}
		last = res.reason
		if !pollBackoff().sleep(ctx, time.Since(r.start)) {
			return r.ended(ctx, t, last)
		}
	}
}

// expired reports whether ctx has ended, or its deadline has passed by
// the clock (which a dial or a read notices before the context's timer
// fires).
func expired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}

// ctxErr is ctx.Err(), or context.DeadlineExceeded when only the clock
// says so.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}

// onDone runs f when ctx ends. The returned func stops that, or waits
// until f has run: no goroutine outlives it.
func onDone(ctx context.Context, f func()) (stop func()) {
	done := make(chan struct{})
	cancel := context.AfterFunc(ctx, func() {
		defer close(done)
		f()
	})
	return func() {
		if !cancel() {
			<-done
		}
	}
}

// watchExit waits for the container to stop until ctx ends, and cancels
// ctx with an *ExitError when it has. It is told so by an ExitTarget, and
// looks at the state by watchBackoff elsewhere (and where the event does
// not tell: a container that stopped and was started again).
func watchExit(ctx context.Context, t Target, stop context.CancelCauseFunc) {
	if et, ok := t.(ExitTarget); ok {
		if err := et.WaitStopped(ctx); err == nil {
			if s, err := t.State(ctx); err == nil && stopped(s) {
				stop(exitErrorOf(s))
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
	}
	start := time.Now()
	for {
		if s, err := t.State(ctx); err == nil && stopped(s) {
			stop(exitErrorOf(s))
			return
		}
		if !watchBackoff().sleep(ctx, time.Since(start)) {
			return
		}
	}
}

// startSlack is how long before Docker's recorded start time a
// container's first log lines may be stamped: Docker records the start
// only after the process runs, and under load the first lines come
// earlier (by tens of milliseconds, seen here).
const startSlack = 250 * time.Millisecond

// logSince returns the time from which the log lines belong to the
// container's current start: startSlack before its start time, but not
// before its previous stop when the target knows it.
func logSince(s State) time.Time {
	if s.StartedAt.IsZero() {
		return time.Time{}
	}
	since := s.StartedAt.Add(-startSlack)
	if f := s.FinishedAt; f.After(since) && f.Before(s.StartedAt) {
		since = f
	}
	return since
}

// inGroup marks the context of a strategy run by All or Any, which read
// the last log lines once for all of them.
type inGroup struct{}

// logsFor returns the last log lines for an error, and whether they were
// read: not in a group (see inGroup).
func logsFor(ctx context.Context, t Target) (string, bool) {
	if ctx.Value(inGroup{}) != nil {
		return "", false
	}
	return lastLogs(ctx, t), true
}

// lastLogs returns the container's last log lines since it started, or a
// note that says why they could not be read. It works also when ctx has
// ended.
func lastLogs(ctx context.Context, t Target) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logsTimeout)
	defer cancel()
	var since time.Time
	if s, err := t.State(ctx); err == nil {
		since = logSince(s)
	}
	rc, err := t.Logs(ctx, since, false)
	if err != nil {
		return fmt.Sprintf("(logs unavailable: %v)", err)
	}
	defer rc.Close()
	lines, err := tail(rc, logLines)
	if err != io.EOF {
		lines = append(lines, fmt.Sprintf("(reading logs: %v)", err))
	}
	return strings.Join(lines, "\n")
}

// tail returns the last n lines of r, each cut at logLineMax bytes, and
// the error that ended the reading (io.EOF at the end).
func tail(r io.Reader, n int) ([]string, error) {
	var lines []string
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	cut := false
	for {
		chunk, err := br.ReadSlice('\n')
		if room := logLineMax - len(line); len(chunk) > room {
			chunk, cut = chunk[:max(room, 0)], true
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(line) > 0 {
			s := strings.TrimRight(string(line), "\r\n")
			if cut {
				s += " …"
			}
			lines = append(lines, s)
			if len(lines) >= 2*n {
				lines = append(lines[:0], lines[len(lines)-n:]...)
			}
		}
		line, cut = line[:0], false
		if err != nil {
			return lines[max(len(lines)-n, 0):], err
		}
	}
}

// withTimeout adds a strategy's own timeout to its description.
func withTimeout(desc string, d time.Duration) string {
	if d > 0 {
		return fmt.Sprintf("%s (within %v)", desc, d)
	}
	return desc
}

// timeoutPtr returns &d, or nil for 0: testcontainers-go's StrategyTimeout.
func timeoutPtr(d time.Duration) *time.Duration {
	if d == 0 {
		return nil
	}
	return &d
}
