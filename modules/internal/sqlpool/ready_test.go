package sqlpool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/wait"
)

// target is a fake wait.Target with one published port.
type target struct{ published bool }

func (f target) Endpoint(_ context.Context, port string) (string, error) {
	if !f.published {
		return "", fmt.Errorf("port %s is not published", port)
	}
	return "127.0.0.1:5432", nil
}
func (target) State(context.Context) (wait.State, error) { return wait.State{Running: true}, nil }
func (target) Logs(context.Context, time.Time, bool) (io.ReadCloser, error) {
	return nil, errors.New("no logs")
}
func (target) Exec(context.Context, []string) (wait.ExecResult, error) {
	return wait.ExecResult{}, errors.New("no exec")
}
func (target) ReadFile(context.Context, string) ([]byte, error) { return nil, errors.New("no files") }

var _ wait.Strategy = Ready{}

func TestReadyAfterAttempts(t *testing.T) {
	var n atomic.Int32
	r := Ready{Port: "5432/tcp", What: "SELECT 1", Check: func(_ context.Context, ep string) error {
		assert.Equal(t, "127.0.0.1:5432", ep)
		if n.Add(1) < 5 {
			return errors.New("connection refused")
		}
		return nil
	}}
	start := time.Now()
	require.NoError(t, r.Wait(t.Context(), target{true}))
	assert.EqualValues(t, 5, n.Load())
	assert.Less(t, time.Since(start), time.Second, "the first pauses are short")
}

func TestReadyTimeoutNamesLastError(t *testing.T) {
	r := Ready{Port: "5432/tcp", What: "SELECT 1 as user test", Check: func(context.Context, string) error {
		return errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	}}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := r.Wait(ctx, target{true})
	var nr *NotReadyError
	require.ErrorAs(t, err, &nr)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Regexp(t, `^SELECT 1 as user test at 127.0.0.1:5432: not ready after \d+ms \(last attempt: dial tcp 127.0.0.1:5432: connect: connection refused\): context deadline exceeded$`, err.Error())
}

func TestReadyPermanent(t *testing.T) {
	var n atomic.Int32
	r := Ready{Port: "5432/tcp", What: "SELECT 1", Check: func(context.Context, string) error {
		n.Add(1)
		return Permanent(errors.New("password authentication failed"))
	}}
	err := r.Wait(t.Context(), target{true})
	assert.EqualError(t, err, "SELECT 1 at 127.0.0.1:5432: password authentication failed")
	assert.EqualValues(t, 1, n.Load(), "no retry")
}

func TestReadyPortNotPublished(t *testing.T) {
	r := Ready{Port: "5432/tcp", What: "SELECT 1", Check: func(context.Context, string) error { return nil }}
	assert.ErrorContains(t, r.Wait(t.Context(), target{false}), "port 5432/tcp is not published")
}
