package wait

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoffDelay(t *testing.T) {
	b := pollBackoff()
	for _, c := range []struct {
		waited, want time.Duration
	}{
		{0, time.Millisecond},
		{10 * time.Millisecond, time.Millisecond},
		{64 * time.Millisecond, time.Millisecond},
		{100 * time.Millisecond, 1562500 * time.Nanosecond},
		{time.Second, 15625 * time.Microsecond},
		{3200 * time.Millisecond, 50 * time.Millisecond},
		{time.Hour, 50 * time.Millisecond},
	} {
		assert.Equal(t, c.want, b.delay(c.waited), "after %v", c.waited)
	}
	w := watchBackoff()
	assert.Equal(t, 5*time.Millisecond, w.delay(0))
	assert.Equal(t, 5*time.Millisecond, w.delay(80*time.Millisecond))
	assert.Equal(t, 25*time.Millisecond, w.delay(400*time.Millisecond))
	assert.Equal(t, 50*time.Millisecond, w.delay(time.Minute))
}

func TestBackoffGrowsSteadily(t *testing.T) {
	// Simulate a wait: each pause is at least the one before, the first
	// 64 ms are polled every millisecond, and a minute costs about 20
	// attempts a second once at the ceiling.
	b := pollBackoff()
	var waited, prev time.Duration
	attempts := 0
	for waited < time.Minute {
		d := b.delay(waited)
		assert.GreaterOrEqual(t, d, prev)
		prev = d
		waited += d
		attempts++
		if waited <= 64*time.Millisecond {
			assert.Equal(t, time.Millisecond, d)
		}
	}
	// 64 at 1 ms, 64·ln(50) ≈ 250 while the pause grows to 50 ms in 3.2 s,
	// then 20 a second.
	assert.InDelta(t, 64+250+(60-3.2)*20, attempts, 30, "attempts in a minute")
}

func TestBackoffSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	assert.False(t, backoff{min: time.Hour, max: time.Hour}.sleep(ctx, 0), "a cancelled context ends the sleep")
	assert.Less(t, time.Since(start), time.Second)
	assert.True(t, pollBackoff().sleep(context.Background(), 0))
}
