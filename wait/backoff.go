package wait

import (
	"context"
	"time"
)

// backoff spaces the attempts of a poll. The pause after an attempt grows
// with the time waited so far: a div-th of it, at least min and at most
// max. With pollBackoff that is 1 ms for the first 64 ms, 1.6 ms after
// 100 ms, 16 ms after 1 s and the 50 ms ceiling from 3.2 s on: readiness is
// noticed within about 1.5% of the time it took (plus one attempt), and a
// long wait costs at most 20 attempts a second.
type backoff struct {
	min, max time.Duration
	div      time.Duration
}

// pollBackoff spaces the attempts of the polling strategies.
func pollBackoff() backoff {
	return backoff{min: time.Millisecond, max: 50 * time.Millisecond, div: 64}
}

// watchBackoff spaces the looks at the container's state while a strategy
// waits: 5 ms at first, 50 ms from 800 ms on, so that death is noticed
// within 50 ms at a fraction of the calls.
func watchBackoff() backoff {
	return backoff{min: 5 * time.Millisecond, max: 50 * time.Millisecond, div: 16}
}

// delay returns the pause after an attempt made when waited had passed.
func (b backoff) delay(waited time.Duration) time.Duration {
	if b.div > 1 {
		waited /= b.div
	}
	return min(max(waited, b.min), b.max)
}

// sleep pauses for the delay after waited, or until ctx ends. It reports
// whether ctx is still live.
func (b backoff) sleep(ctx context.Context, waited time.Duration) bool {
	t := time.NewTimer(b.delay(waited))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
