package postgres_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/postgres"
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

// exists reports whether the server has a database of that name.
func exists(t *testing.T, pg *postgres.Container, name string) bool {
	var n int
	require.NoError(t, pg.DB(t).QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n))
	return n == 1
}

// A failed test's database is kept, with what the test wrote, and its DSN
// logged; a passed test's database is dropped.
func TestKeepFailed(t *testing.T) {
	t.Parallel()
	pg := shared.Get(t)

	failing := &fakeTB{TB: t}
	d := pg.NewDatabase(failing)
	_, err := d.DB(failing).Exec("INSERT INTO orders (item) VALUES ('evidence')")
	require.NoError(t, err)
	failing.Fail()
	failing.end()
	assert.True(t, exists(t, pg, d.Name()), "kept")
	assert.Contains(t, failing.log(), "postgres: the test failed: kept its database "+d.Name())
	assert.Contains(t, failing.log(), d.DSN())
	conn, err := pgx.Connect(t.Context(), d.DSN())
	require.NoError(t, err, "the logged DSN connects")
	defer conn.Close(t.Context())
	var item string
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT item FROM orders").Scan(&item))
	assert.Equal(t, "evidence", item)

	passing := &fakeTB{TB: t}
	d2 := pg.NewDatabase(passing)
	d2.DB(passing).Exec("SELECT 1") // a connection still open at the end is no obstacle
	passing.end()
	assert.False(t, exists(t, pg, d2.Name()), "dropped")
	assert.Empty(t, passing.log())
}

// TESTDOCK_KEEP_FAILED=0 drops a failed test's database too.
func TestKeepFailedOff(t *testing.T) {
	t.Setenv("TESTDOCK_KEEP_FAILED", "0") // not parallel: it sets the environment
	pg := shared.Get(t)
	failing := &fakeTB{TB: t}
	d := pg.NewDatabase(failing)
	failing.Fail()
	failing.end()
	assert.False(t, exists(t, pg, d.Name()), "dropped")
	assert.NotContains(t, failing.log(), "kept")
}

const helperEnv = "TESTDOCK_POSTGRES_HELPER"

// A real failing test, run as a child process, keeps its database and
// prints its DSN in the go test output.
func TestKeepFailedChild(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFailing$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.Error(t, cmd.Run(), "the child test fails:\n%s", out.String())
	m := regexp.MustCompile(`postgres: the test failed: kept its database (testdock_\w+) for inspection .*\n\s+(postgres://\S+)`).FindStringSubmatch(out.String())
	require.NotNil(t, m, "the kept database is logged:\n%s", out.String())
	assert.Contains(t, m[2], "/"+m[1]+"?")
	assert.Contains(t, out.String(), "fixture: the test failed; last log lines of the shared", "the server's logs are shown too")
}

func TestHelperFailing(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("run by TestKeepFailedChild")
	}
	db := shared.Get(t).NewDatabase(t).DB(t)
	_, err := db.Exec("INSERT INTO orders (item) VALUES ('evidence')")
	require.NoError(t, err)
	t.Error("the test fails on purpose")
}

// fatalTB is a fakeTB whose Fatalf ends the goroutine, as a test's does.
type fatalTB struct{ fakeTB }

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

// Start with a wrong image fails the test with the hint, and leaves
// nothing behind.
func TestStartWrongImage(t *testing.T) {
	t.Parallel()
	ft := &fatalTB{fakeTB{TB: t}}
	done := make(chan *postgres.Container)
	go func() {
		defer close(done)
		done <- postgres.Start(ft, postgres.WithImage("testdock.local/testserver:latest"))
	}()
	assert.Nil(t, <-done, "Start did not return")
	ft.end()
	assert.True(t, ft.Failed())
	assert.Contains(t, ft.log(), "container exited with code")
	assert.Contains(t, ft.log(), "check that testdock.local/testserver:latest is a PostgreSQL image")
}
