// Package testkit holds what the modules' own tests share: a barrier for
// isolation tests whose parallel subtests must meet. It is for tests only.
package testkit

import (
	"context"
	"flag"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/testdock/testdock/fixture"
)

// Barrier lets the parallel subtests of a test meet: each writes (or
// publishes), meets the others, and then reads knowing that all have
// written. The parent makes it, and counts the subtests, before it runs
// them: parallel subtests start only after the parent's function returns.
type Barrier struct {
	n    int // subtests that meet
	left atomic.Int64
	all  chan struct{} // closed when all n have arrived
}

// NewBarrier returns a barrier for up to most subtests, fewer when
// -test.parallel lets fewer run at once (they would wait for each other
// forever otherwise); it skips the test when fewer than two can.
func NewBarrier(t *testing.T, most int) *Barrier {
	t.Helper()
	n := min(most, parallelism())
	if n < 2 {
		t.Skipf("isolation needs two subtests at once; -test.parallel is %d", n)
	}
	b := &Barrier{n: n, all: make(chan struct{})}
	b.left.Store(int64(n))
	return b
}

// parallelism is the -test.parallel flag's value.
func parallelism() int {
	if f := flag.Lookup("test.parallel"); f != nil {
		if g, ok := f.Value.(flag.Getter); ok {
			if n, ok := g.Get().(int); ok {
				return n
			}
		}
	}
	return 1
}

// N is how many subtests meet: the most asked for, or fewer (see
// NewBarrier).
func (b *Barrier) N() int { return b.n }

// Join counts subtest t in and returns its meet: meet marks t arrived and
// waits for the others, failing t when they have not all arrived in two
// minutes or by the test's deadline. A subtest that ends before its meet
// (it failed, say) counts as arrived, so it does not hold the others up.
func (b *Barrier) Join(t *testing.T) (meet func()) {
	arrive := sync.OnceFunc(func() {
		if b.left.Add(-1) == 0 {
			close(b.all)
		}
	})
	t.Cleanup(arrive)
	return func() {
		t.Helper()
		arrive()
		ctx, cancel := fixture.TestContext(t)
		defer cancel()
		ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		select {
		case <-b.all:
		case <-ctx.Done():
			t.Fatalf("barrier: %d of %d subtests did not arrive: %v", b.left.Load(), b.n, context.Cause(ctx))
		}
	}
}
