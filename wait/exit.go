package wait

import (
	"context"
	"fmt"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// Exit waits until the container exits with an expected code: readiness
// of a one-shot container, such as one that runs migrations. Make one with
// ForExit.
//
// Here the container stopping is the goal, not a failure: another exit
// code ends the wait at once with a *PermanentError that holds an
// *ExitError (and the last log lines). Use ExpectsExit to find out whether
// a strategy is of this kind.
//
// An Exit is immutable and safe for concurrent use by parallel tests.
type Exit struct {
	code    int
	timeout time.Duration
}

var (
	_ Strategy        = Exit{}
	_ tcwait.Strategy = Exit{}
)

// ForExit waits until the container exits with code.
func ForExit(code int) Exit { return Exit{code: code} }

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Exit) WithTimeout(d time.Duration) Exit {
	s.timeout = d
	return s
}

// String describes s, such as "container exiting with code 0".
func (s Exit) String() string {
	return withTimeout(fmt.Sprintf("container exiting with code %d", s.code), s.timeout)
}

// Wait waits until the container has exited, or ctx ends.
func (s Exit) Wait(ctx context.Context, t Target) error {
	check := s.check
	if et, ok := t.(ExitTarget); ok {
		// Each attempt waits for the exit event (for as long as an attempt
		// may take), then reads the exit code.
		check = func(ctx context.Context, t Target) Result {
			if err := et.WaitStopped(ctx); err != nil && expired(ctx) {
				// No exit within this attempt (or the whole wait).
				return NotYet("the container is running")
			}
			return s.check(ctx, t)
		}
	}
	return poll(ctx, t, s.String(), s.timeout, false, check)
}

func (s Exit) check(ctx context.Context, t Target) Result {
	st, err := t.State(ctx)
	switch {
	case err != nil:
		return NotYet("read the container's state: %w", err)
	case !stopped(st):
		return NotYet("the container is %s", st.Status)
	case st.ExitCode != s.code:
		return Never("%w, want %d", exitErrorOf(st), s.code)
	}
	return Ready()
}

func (s Exit) expectsExit() bool { return true }

// WaitUntilReady lets testcontainers-go use s.
func (s Exit) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Exit) Timeout() *time.Duration { return timeoutPtr(s.timeout) }

// ExpectsExit reports whether s waits for the container to exit (ForExit,
// testcontainers-go's ForExit through FromTestcontainers, or All or Any
// holding one), so that whoever runs it must not treat the container's exit
// as a failed start.
func ExpectsExit(s Strategy) bool {
	e, ok := s.(interface{ expectsExit() bool })
	return ok && e.expectsExit()
}
