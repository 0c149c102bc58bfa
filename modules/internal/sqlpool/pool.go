package sqlpool

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrClosed is returned by Pool.Take once the pool is closed.
var ErrClosed = errors.New("the server was terminated")

// Pool keeps databases ready so that a test that asks for one usually gets
// it at once: Workers goroutines create databases with Create until Size
// wait unclaimed, and start again as tests take them.
//
// A Pool is safe for concurrent use. Close stops its goroutines; a Pool
// with Size 0 has none and creates on demand.
type Pool struct {
	create func(ctx context.Context) (string, error)
	ready  chan made

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// made is a database a worker created, or why it could not.
type made struct {
	name string
	err  error
}

// errorPause bounds the pause of a worker after a failed create, so that a
// broken server is not hammered.
const errorPause = time.Second

// NewPool returns a pool that keeps size databases ready, made by create
// with at most workers at a time. The create function gets a context that
// ends when the pool is closed.
func NewPool(create func(ctx context.Context) (string, error), size, workers int) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{create: create, ctx: ctx, cancel: cancel}
	if size <= 0 {
		return p
	}
	p.ready = make(chan made, size)
	for range max(workers, 1) {
		p.wg.Go(p.work)
	}
	return p
}

// work creates databases until the pool is closed, each handed to the next
// Take (or kept in the buffer while it has room).
func (p *Pool) work() {
	for {
		name, err := p.create(p.ctx)
		if p.ctx.Err() != nil {
			return // the server is going away with what was made
		}
		select {
		case p.ready <- made{name, err}:
		case <-p.ctx.Done():
			return
		}
		if err != nil {
			t := time.NewTimer(errorPause)
			select {
			case <-p.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}
}

// Take returns the name of a ready database, waiting for one when none is
// ready. The caller owns it. An error of a worker's create goes to the
// Take that would have had its database.
func (p *Pool) Take(ctx context.Context) (string, error) {
	if p.ctx.Err() != nil {
		return "", ErrClosed
	}
	if p.ready == nil {
		// No workers: create for this caller, stopped also by Close.
		cctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		stop := context.AfterFunc(p.ctx, func() { cancel(ErrClosed) })
		defer stop()
		return p.create(cctx)
	}
	select {
	case m := <-p.ready:
		return m.name, m.err
	default:
	}
	select {
	case m := <-p.ready:
		return m.name, m.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	case <-p.ctx.Done():
		return "", ErrClosed
	}
}

// Close stops the workers and waits until they have returned. Databases
// still ready are left to the server (which is going away). Close is
// idempotent.
func (p *Pool) Close() {
	p.cancel()
	p.wg.Wait()
}
