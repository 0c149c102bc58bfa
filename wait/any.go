package wait

import (
	"context"
	"slices"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// AnyOf waits until one of its strategies is ready. Make one with Any.
//
// The strategies wait at the same time; the first that is ready ends the
// wait and stops the others. A strategy that fails leaves the others
// waiting; when all have failed, the *PermanentError joins their errors.
// When the time runs out, the *TimeoutError lists what each last saw.
//
// An AnyOf is immutable and safe for concurrent use by parallel tests as
// far as its strategies are.
type AnyOf struct{ g group }

var (
	_ Strategy        = AnyOf{}
	_ tcwait.Strategy = AnyOf{}
)

// Any waits until one of strategies is ready. Any() is ready at once.
func Any(strategies ...Strategy) AnyOf {
	return AnyOf{group{kind: "any", children: slices.Clone(strategies)}}
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s AnyOf) WithTimeout(d time.Duration) AnyOf {
	s.g.timeout = d
	return s
}

// String describes s, such as `any of (log line "ready"; port 5432/tcp)`.
func (s AnyOf) String() string { return s.g.String() }

// Wait waits until a strategy is ready, all have failed, or ctx ends.
func (s AnyOf) Wait(ctx context.Context, t Target) error { return s.g.wait(ctx, t) }

func (s AnyOf) expectsExit() bool { return s.g.expectsExit() }

// WaitUntilReady lets testcontainers-go use s.
func (s AnyOf) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.g.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s AnyOf) Timeout() *time.Duration { return timeoutPtr(s.g.timeout) }
