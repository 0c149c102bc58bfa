package wait

import (
	"context"
	"slices"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// AllOf waits until all of its strategies are ready. Make one with All.
//
// The strategies wait at the same time, so the wait takes as long as the
// slowest of them, not their sum. The first that fails (a
// *PermanentError, or its own timeout) ends the wait with its error and
// stops the others. When the time runs out, the *TimeoutError lists what
// each strategy that was not ready last saw.
//
// An AllOf is immutable and safe for concurrent use by parallel tests as
// far as its strategies are.
type AllOf struct{ g group }

var (
	_ Strategy        = AllOf{}
	_ tcwait.Strategy = AllOf{}
)

// All waits until every one of strategies is ready. All() is ready at
// once.
func All(strategies ...Strategy) AllOf {
	return AllOf{group{kind: "all", children: slices.Clone(strategies)}}
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s AllOf) WithTimeout(d time.Duration) AllOf {
	s.g.timeout = d
	return s
}

// String describes s, such as `all of (log line "ready"; port 5432/tcp)`.
func (s AllOf) String() string { return s.g.String() }

// Wait waits until all strategies are ready, one fails, or ctx ends.
func (s AllOf) Wait(ctx context.Context, t Target) error { return s.g.wait(ctx, t) }

func (s AllOf) expectsExit() bool { return s.g.expectsExit() }

// WaitUntilReady lets testcontainers-go use s.
func (s AllOf) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.g.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s AllOf) Timeout() *time.Duration { return timeoutPtr(s.g.timeout) }
