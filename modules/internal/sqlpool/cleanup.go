package sqlpool

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/testdock/testdock/internal/engine"
)

// cleanupTimeout bounds the drop of a test's database.
const cleanupTimeout = 30 * time.Second

// DropAtCleanup registers the end of a test's database: when the test
// passed (or TESTDOCK_KEEP_FAILED=0) drop runs under a fresh context of
// its own; when it failed, the database is kept and its name and DSN go to
// the test log, so that it can be inspected while the server lives.
// module names the module in messages ("postgres").
func DropAtCleanup(t testing.TB, module, name, dsn string, drop func(ctx context.Context) error) {
	t.Cleanup(func() {
		if t.Failed() && engine.ReadConfig().KeepFailed {
			t.Logf("%s: the test failed: kept its database %s for inspection while the server runs (TESTDOCK_KEEP_FAILED=0 drops it):\n\t%s", module, name, dsn)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := drop(ctx); err != nil && !IsClosed(err) {
			t.Errorf("%s: cleanup: drop database %s: %v", module, name, err)
		}
	})
}

// IsClosed reports whether err says that the server is gone already, in
// which case there is nothing left to drop.
func IsClosed(err error) bool { return errors.Is(err, ErrClosed) }
