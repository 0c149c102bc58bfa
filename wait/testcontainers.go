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

type tcStrategy struct{ s tcwait.Strategy }

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

func (w tcStrategy) String() string { return fmt.Sprintf("testcontainers-go %T", w.s) }
