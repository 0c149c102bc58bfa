package sqlpool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counter makes databases named db1, db2, ... and remembers them.
type counter struct {
	n    atomic.Int32
	fail atomic.Bool
	mu   sync.Mutex
	made []string
}

func (c *counter) create(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if c.fail.Load() {
		return "", errors.New("server says no")
	}
	name := fmt.Sprintf("db%d", c.n.Add(1))
	c.mu.Lock()
	c.made = append(c.made, name)
	c.mu.Unlock()
	return name, nil
}

// eventually polls cond in a bounded loop.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		timer := time.NewTimer(time.Millisecond)
		<-timer.C
	}
}

// The pool fills up to its size ahead of demand, and every database it
// hands out is distinct.
func TestPoolFillsAhead(t *testing.T) {
	c := &counter{}
	p := NewPool(c.create, 3, 2)
	defer p.Close()
	// size 3 in the buffer, and each worker holds one more.
	eventually(t, func() bool { return c.n.Load() == 5 })
	seen := map[string]bool{}
	for range 20 {
		name, err := p.Take(t.Context())
		require.NoError(t, err)
		assert.False(t, seen[name], "handed out twice: %s", name)
		seen[name] = true
	}
}

// A create error goes to a Take, and the workers go on after it.
func TestPoolError(t *testing.T) {
	c := &counter{}
	c.fail.Store(true)
	p := NewPool(c.create, 1, 1)
	defer p.Close()
	_, err := p.Take(t.Context())
	assert.ErrorContains(t, err, "server says no")
	c.fail.Store(false)
	name, err := p.Take(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "db1", name)
}

// Close stops the workers (goleak checks that none is left), and Take
// after Close says so; one waiting in Take is released.
func TestPoolClose(t *testing.T) {
	block := make(chan struct{})
	p := NewPool(func(ctx context.Context) (string, error) {
		select {
		case <-block:
			return "never", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}, 2, 2)
	errc := make(chan error)
	go func() {
		_, err := p.Take(context.Background())
		errc <- err
	}()
	p.Close()
	assert.ErrorIs(t, <-errc, ErrClosed)
	_, err := p.Take(t.Context())
	assert.ErrorIs(t, err, ErrClosed)
	p.Close() // twice is fine
	close(block)
}

// Without a size, Take creates on demand, and Close cancels that too.
func TestPoolOnDemand(t *testing.T) {
	c := &counter{}
	p := NewPool(c.create, 0, 2)
	name, err := p.Take(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "db1", name)
	assert.EqualValues(t, 1, c.n.Load(), "nothing made ahead")

	started := make(chan struct{})
	p2 := NewPool(func(ctx context.Context) (string, error) {
		close(started)
		<-ctx.Done()
		return "", context.Cause(ctx)
	}, 0, 1)
	errc := make(chan error)
	go func() {
		_, err := p2.Take(context.Background())
		errc <- err
	}()
	<-started
	p2.Close()
	assert.ErrorIs(t, <-errc, ErrClosed)
	p.Close()
}

// A Take that waits ends with its context.
func TestPoolTakeContext(t *testing.T) {
	p := NewPool(func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}, 1, 1)
	defer p.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Take(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
