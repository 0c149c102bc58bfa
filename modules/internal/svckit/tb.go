package svckit

import (
	"context"
	"time"
)

// CleanupContext returns a fresh context for a cleanup, bounded by d.
func CleanupContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
