package sqlpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// endTB is a test whose outcome and end the test decides.
type endTB struct {
	testing.TB
	failed   bool
	logs     []string
	cleanups []func()
}

func (f *endTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *endTB) Failed() bool      { return f.failed }
func (f *endTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *endTB) Errorf(format string, args ...any) { f.Logf(format, args...); f.failed = true }
func (f *endTB) end() {
	for _, fn := range slices.Backward(f.cleanups) {
		fn()
	}
}

func TestDropAtCleanup(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failed     bool
		keepOff    bool
		dropErr    error
		wantDrop   bool
		wantLog    string
		wantFailed bool
	}{
		{name: "passed", wantDrop: true},
		{name: "failed", failed: true, wantLog: "pg: the test failed: kept its database db1 for inspection while the server runs (TESTDOCK_KEEP_FAILED=0 drops it):\n\tdsn://db1", wantFailed: true},
		{name: "failed, keeping off", failed: true, keepOff: true, wantDrop: true, wantFailed: true},
		{name: "drop fails", dropErr: errors.New("boom"), wantDrop: true, wantLog: "pg: cleanup: drop database db1: boom", wantFailed: true},
		{name: "server gone", dropErr: fmt.Errorf("drop: %w", ErrClosed), wantDrop: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.keepOff {
				t.Setenv("TESTDOCK_KEEP_FAILED", "0")
			}
			tb := &endTB{TB: t, failed: tc.failed}
			dropped := false
			DropAtCleanup(tb, "pg", "db1", "dsn://db1", func(ctx context.Context) error {
				_, hasDeadline := ctx.Deadline()
				assert.True(t, hasDeadline, "the drop is bounded")
				dropped = true
				return tc.dropErr
			})
			tb.end()
			assert.Equal(t, tc.wantDrop, dropped)
			assert.Equal(t, tc.wantLog, strings.Join(tb.logs, "\n"))
			assert.Equal(t, tc.wantFailed, tb.failed)
		})
	}
}
