package sqlpool

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/testdock/testdock/wait"
)

const (
	// attemptTimeout bounds one readiness attempt, so that a hung
	// connection is retried instead of using up the whole wait.
	attemptTimeout = 5 * time.Second
	// minPause and maxPause bound the pause between attempts: it grows
	// with the time waited (a sixteenth of it), so that readiness is
	// noticed within about 6% of the time it took.
	minPause = time.Millisecond
	maxPause = 25 * time.Millisecond
)

// Ready is a wait.Strategy: the server is ready when Check, a real query
// with the fixture's credentials over the published Port, succeeds. An
// image that restarts its server during initialization (as the official
// postgres, mysql and mariadb images do) is ready only once the final
// server answers, since the temporary one does not listen on TCP.
//
// Ready is immutable and safe for parallel use.
type Ready struct {
	// Port is the container port, e.g. "5432/tcp".
	Port string
	// What describes the check in errors, e.g. "SELECT 1 as user test on
	// database test".
	What string
	// Check runs one attempt against endpoint ("127.0.0.1:49153"). An
	// error wrapped by Permanent ends the wait at once.
	Check func(ctx context.Context, endpoint string) error
}

// Wait polls Check until it succeeds, returns a permanent error, or ctx
// ends; the error then names the check, the time waited and the last
// reason. It starts no goroutine.
func (r Ready) Wait(ctx context.Context, t wait.Target) error {
	start := time.Now()
	var last error
	for {
		ep, err := t.Endpoint(ctx, r.Port)
		if err != nil {
			return fmt.Errorf("%s: %w", r.What, err)
		}
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		err = r.Check(actx, ep)
		cancel()
		if err == nil {
			return nil
		}
		var perm *permanentError
		if errors.As(err, &perm) {
			return fmt.Errorf("%s at %s: %w", r.What, ep, perm.err)
		}
		if ctx.Err() == nil || last == nil {
			last = err
		}
		pause := min(max(time.Since(start)/16, minPause), maxPause)
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return &NotReadyError{What: r.What, Endpoint: ep, Waited: time.Since(start), Last: last, Err: context.Cause(ctx)}
		case <-timer.C:
		}
	}
}

// String describes the strategy.
func (r Ready) String() string { return "query readiness: " + r.What + " on " + r.Port }

// NotReadyError is returned by Ready.Wait when its context ends first.
type NotReadyError struct {
	What     string
	Endpoint string
	Waited   time.Duration
	// Last is the error of the last attempt.
	Last error
	// Err is why the wait ended (context.DeadlineExceeded, or the cause
	// of the cancellation).
	Err error
}

// Error names the check, the time waited, the last attempt's error and why
// the wait ended.
func (e *NotReadyError) Error() string {
	return fmt.Sprintf("%s at %s: not ready after %v (last attempt: %v): %v", e.What, e.Endpoint, e.Waited.Round(time.Millisecond), e.Last, e.Err)
}

// Unwrap returns why the wait ended and the last attempt's error.
func (e *NotReadyError) Unwrap() []error { return []error{e.Err, e.Last} }

// Permanent marks err as one that retrying won't cure (wrong password,
// unknown database): Ready.Wait returns it at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
