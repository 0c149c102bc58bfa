package wait

import (
	"context"
	"errors"
	"fmt"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// TestcontainersTarget is implemented by targets that can also be seen as a
// testcontainers-go wait.StrategyTarget, as fixture's are.
type TestcontainersTarget interface {
	Testcontainers() tcwait.StrategyTarget
}

// FromTestcontainers lets a testcontainers-go strategy decide readiness in a
// fixture.Spec:
//
//	Wait: wait.FromTestcontainers(tcwait.ForListeningPort("5432/tcp"))
//
// The target must implement TestcontainersTarget.
func FromTestcontainers(s tcwait.Strategy) Strategy {
	return tcStrategy{s}
}

// tcStrategy is a testcontainers-go strategy seen as a Strategy.
type tcStrategy struct{ s tcwait.Strategy }

// Wait runs the testcontainers-go strategy on the target's
// testcontainers-go side.
func (w tcStrategy) Wait(ctx context.Context, t Target) error {
	if w.s == nil {
		return errors.New("wait.FromTestcontainers: the strategy is nil")
	}
	tt, ok := t.(TestcontainersTarget)
	if !ok {
		return fmt.Errorf("wait.FromTestcontainers: target %T cannot serve testcontainers-go strategies", t)
	}
	if err := w.s.WaitUntilReady(ctx, tt.Testcontainers()); err != nil {
		return fmt.Errorf("testcontainers-go %T: %w", w.s, err)
	}
	return nil
}

// expectsExit is true for testcontainers-go's ForExit.
func (w tcStrategy) expectsExit() bool {
	_, ok := w.s.(*tcwait.ExitStrategy)
	return ok
}

// String names the testcontainers-go strategy by its own description
// where it has one (`testcontainers-go log message "ready"`), else by its
// type.
func (w tcStrategy) String() string {
	if s, ok := w.s.(fmt.Stringer); ok {
		return "testcontainers-go " + s.String()
	}
	return fmt.Sprintf("testcontainers-go %T", w.s)
}
