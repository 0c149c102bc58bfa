package mariadb_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/mariadb"
)

// fakeTB is a test whose failure and cleanups the test drives.
type fakeTB struct {
	testing.TB // the real test, for what is not faked
	mu         sync.Mutex
	failed     bool
	logs       []string
	cleanups   []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

func (f *fakeTB) Fail() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = true
}

func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.Logf(format, args...)
	f.Fail()
}

// end runs the cleanups, last first, as the testing package does.
func (f *fakeTB) end() {
	f.mu.Lock()
	fns := slices.Clone(f.cleanups)
	f.cleanups = nil
	f.mu.Unlock()
	for _, fn := range slices.Backward(fns) {
		fn()
	}
}

func (f *fakeTB) log() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.logs, "\n")
}

func exists(t *testing.T, c *mariadb.Container, name string) bool {
	return count(t, c.DB(t), "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name) == 1
}

// A failed test's database is kept, with what the test wrote, and its DSN
// logged; a passed test's database is dropped, even with a transaction
// left open on it.
func TestKeepFailed(t *testing.T) {
	t.Parallel()
	c := shared.Get(t)

	failing := &fakeTB{TB: t}
	d := c.NewDatabase(failing)
	_, err := d.DB(failing).Exec("INSERT INTO settings VALUES ('evidence', 'here')")
	require.NoError(t, err)
	failing.Fail()
	failing.end()
	assert.True(t, exists(t, c, d.Name()), "kept")
	assert.Contains(t, failing.log(), "mariadb: the test failed: kept its database "+d.Name())
	assert.Contains(t, failing.log(), d.DSN())

	passing := &fakeTB{TB: t}
	d2 := c.NewDatabase(passing)
	tx, err := d2.DB(passing).Begin()
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO settings VALUES ('lost', 'tx')") // never committed: its locks stay
	require.NoError(t, err)
	passing.end()
	_ = tx.Rollback() // its session was ended by the drop
	assert.False(t, exists(t, c, d2.Name()), "dropped")
	assert.Empty(t, passing.log())
}

// TESTDOCK_KEEP_FAILED=0 drops a failed test's database too.
func TestKeepFailedOff(t *testing.T) {
	t.Setenv("TESTDOCK_KEEP_FAILED", "0") // not parallel: it sets the environment
	c := shared.Get(t)
	failing := &fakeTB{TB: t}
	d := c.NewDatabase(failing)
	failing.Fail()
	failing.end()
	assert.False(t, exists(t, c, d.Name()), "dropped")
	assert.NotContains(t, failing.log(), "kept")
}
