package svckit

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/testdock/testdock/fixture"
)

// deadlineMargin is left of the test's deadline for cleanup.
const deadlineMargin = 5 * time.Second

// Hinted returns t, whose Fatalf adds hint when one of its arguments is a
// *fixture.StartError (the container started but never served): a module
// passes it to fixture.Start so that a wrong image is named as such.
func Hinted(t testing.TB, hint string) testing.TB { return hinted{t, hint} }

type hinted struct {
	testing.TB
	hint string
}

// Fatalf fails the test, with the hint after a start error.
func (h hinted) Fatalf(format string, args ...any) {
	h.TB.Helper()
	for _, a := range args {
		if err, ok := a.(error); ok {
			var se *fixture.StartError
			if errors.As(err, &se) {
				h.TB.Fatalf(format+"\n%s", append(args, h.hint)...)
			}
		}
	}
	h.TB.Fatalf(format, args...)
}

// Deadline passes on the test's deadline, which fixture.Start reads.
func (h hinted) Deadline() (time.Time, bool) {
	if d, ok := h.TB.(interface{ Deadline() (time.Time, bool) }); ok {
		return d.Deadline()
	}
	return time.Time{}, false
}

// Explain adds hint to err when it is a *fixture.StartError.
func Explain(err error, hint string) error {
	var se *fixture.StartError
	if errors.As(err, &se) {
		return fmt.Errorf("%w\n%s", err, hint)
	}
	return err
}

// TestContext returns a context that ends with the test or a little
// before its deadline.
func TestContext(t testing.TB) (context.Context, context.CancelFunc) {
	ctx := t.Context()
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			margin := min(deadlineMargin, time.Until(dl)/10)
			return context.WithDeadline(ctx, dl.Add(-margin))
		}
	}
	return context.WithCancel(ctx)
}

// CleanupContext returns a fresh context for a cleanup, bounded by d.
func CleanupContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
