package wait

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exitEvents is a fake ExitTarget: the container stops when stop is
// closed, and says so through WaitStopped.
type exitEvents struct {
	fake
	stop   chan struct{}
	states *atomic.Int32 // calls of State
}

func newExitEvents() exitEvents {
	e := exitEvents{stop: make(chan struct{}), states: new(atomic.Int32)}
	e.fake.state = func() State {
		e.states.Add(1)
		select {
		case <-e.stop:
			return State{Status: "exited", ExitCode: 3}
		default:
			return State{Running: true, Status: "running"}
		}
	}
	return e
}

func (e exitEvents) WaitStopped(ctx context.Context) error {
	select {
	case <-e.stop:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A death is noticed from the event, without looking at the state in the
// meantime.
func TestDeathFromTheExitEvent(t *testing.T) {
	e := newExitEvents()
	never := ForFunc(func(context.Context, Target) Result { return NotYet("waiting") })
	time.AfterFunc(300*time.Millisecond, func() { close(e.stop) })
	start := time.Now()
	err := never.WithTimeout(10*time.Second).Wait(context.Background(), e)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 3, ee.ExitCode)
	assert.Less(t, time.Since(start), 2*time.Second)
	// The state is read after the event (and for the error), not polled
	// every few milliseconds while waiting.
	assert.Less(t, e.states.Load(), int32(10), "State polled while the event was awaited")
}

func TestExitFromTheExitEvent(t *testing.T) {
	e := newExitEvents()
	time.AfterFunc(100*time.Millisecond, func() { close(e.stop) })
	err := ForExit(3).WithTimeout(10*time.Second).Wait(context.Background(), e)
	require.NoError(t, err)
	assert.Less(t, e.states.Load(), int32(5))

	e = newExitEvents()
	close(e.stop)
	err = ForExit(0).WithTimeout(time.Second).Wait(context.Background(), e)
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	assert.ErrorContains(t, err, "want 0")
}

// Where the event can't be had, the state decides.
func TestDeathWithoutTheEvent(t *testing.T) {
	e := newExitEvents()
	broken := brokenEvents{e}
	time.AfterFunc(100*time.Millisecond, func() { close(e.stop) })
	err := ForFunc(func(context.Context, Target) Result { return NotYet("waiting") }).
		WithTimeout(10*time.Second).Wait(context.Background(), broken)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
}

type brokenEvents struct{ exitEvents }

func (brokenEvents) WaitStopped(context.Context) error { return errors.New("no wait stream") }
