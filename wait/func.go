package wait

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// Func waits until a function of the caller says the target is ready.
// Make one with ForFunc.
//
// The function is called with backoff (1 ms, growing to 50 ms) and answers
// NotYet (with the reason, kept for the timeout error), Ready, or Never
// (the wait ends at once with a *PermanentError). Each call gets a context
// that ends with the wait (or after 5 s, so that one hung call is retried)
// and must return when it ends: the wait returns only after the call does.
// A stopped container ends the wait at once with a *PermanentError.
//
// A Func is immutable and safe for concurrent use by parallel tests as far
// as its function is.
type Func struct {
	f       func(ctx context.Context, t Target) Result
	name    string
	timeout time.Duration
}

var (
	_ Strategy        = Func{}
	_ tcwait.Strategy = Func{}
)

// ForFunc waits until f answers Ready:
//
//	wait.ForFunc(func(ctx context.Context, t wait.Target) wait.Result {
//		ep, err := t.Endpoint(ctx, "6379/tcp")
//		if err != nil {
//			return wait.NotYet("%w", err)
//		}
//		if err := ping(ctx, ep); err != nil {
//			return wait.NotYet("ping: %w", err)
//		}
//		return wait.Ready()
//	})
func ForFunc(f func(ctx context.Context, t Target) Result) Func {
	name := "func <nil>"
	if f != nil {
		name = "func " + runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
	}
	return Func{f: f, name: name}
}

// WithName returns a copy of s that is called name in messages (default:
// "func" and the function's name).
func (s Func) WithName(name string) Func {
	s.name = name
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Func) WithTimeout(d time.Duration) Func {
	s.timeout = d
	return s
}

// String describes s by its name.
func (s Func) String() string { return withTimeout(s.name, s.timeout) }

// Wait calls the function until it answers Ready or Never, the container
// stops or ctx ends.
func (s Func) Wait(ctx context.Context, t Target) error {
	if s.f == nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(errors.New("ForFunc: the function is nil"))
	}
	return poll(ctx, t, s.String(), s.timeout, true, s.f)
}

// WaitUntilReady lets testcontainers-go use s.
func (s Func) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Func) Timeout() *time.Duration { return timeoutPtr(s.timeout) }
