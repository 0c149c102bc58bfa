package redis_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/internal/testkit"
	"github.com/testdock/testdock/modules/redis"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	r := shared.Get(t)
	assert.NotEmpty(t, r.Password(), "auth is on by default")
	assert.True(t, strings.HasPrefix(r.URL(), "redis://:"+r.Password()+"@127.0.0.1:"), r.URL())
	rdb := r.NewDatabase(t).Client(t)
	require.NoError(t, rdb.Set(t.Context(), "greeting", "hello", 0).Err())
	v, err := rdb.Get(t.Context(), "greeting").Result()
	require.NoError(t, err)
	assert.Equal(t, "hello", v)

	// Without the password the server refuses.
	o := r.Options(0)
	o.Password = ""
	anon := goredis.NewClient(o)
	defer anon.Close()
	assert.ErrorContains(t, anon.Ping(t.Context()).Err(), "NOAUTH")
}

// TestIsolation: parallel tests write the same key, each into its own
// database; once all have written, each reads back its own value.
func TestIsolation(t *testing.T) {
	t.Parallel()
	wrote := testkit.NewBarrier(t, 4)
	for i := range wrote.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meet := wrote.Join(t)
			db := shared.Get(t).NewDatabase(t)
			rdb := db.Client(t)
			ctx := t.Context()
			n, err := rdb.DBSize(ctx).Result()
			require.NoError(t, err)
			assert.Zero(t, n, "a fresh database is empty (database %d)", db.Number)
			require.NoError(t, rdb.Set(ctx, "owner", i, 0).Err())
			meet() // the others have written theirs
			v, err := rdb.Get(ctx, "owner").Int()
			require.NoError(t, err)
			assert.Equal(t, i, v, "no other test wrote to database %d", db.Number)
			n, err = rdb.DBSize(ctx).Result()
			require.NoError(t, err)
			assert.EqualValues(t, 1, n, "only this test's key in database %d", db.Number)
		})
	}
}

func TestDatabasesRunOut(t *testing.T) {
	t.Parallel()
	r := redis.Start(t, redis.WithDatabases(2))
	d := r.NewDatabase(t)
	assert.Equal(t, 1, d.Number)
	ft := &fatalTB{TB: t}
	func() {
		defer func() { recover() }()
		r.NewDatabase(ft)
	}()
	assert.Contains(t, ft.msg, "all 1 logical databases but 0 are in use")
}

func TestRestart(t *testing.T) {
	t.Parallel()
	r := redis.Start(t)
	rdb := r.Client(t)
	ctx := t.Context()
	require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
	before := r.Addr()
	require.NoError(t, r.Restart(ctx))
	t.Logf("address before the restart %s, after %s", before, r.Addr())
	// The old client reconnects, to the new address if it changed.
	require.Eventually(t, func() bool { return rdb.Ping(ctx).Err() == nil }, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, rdb.Set(ctx, "k2", "v2", 0).Err())
	v, err := rdb.Get(ctx, "k2").Result()
	require.NoError(t, err)
	assert.Equal(t, "v2", v)
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not redis", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		r, err := redis.Run(ctx, redis.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a Redis image")
		require.NotNil(t, r)
		require.NoError(t, r.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		r, err := redis.Run(t.Context(), redis.WithImage("testdock.local/no-such-redis:latest"))
		require.Error(t, err)
		assert.Nil(t, r)
		assert.Contains(t, err.Error(), "testdock.local/no-such-redis:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := redis.Run(t.Context(), redis.WithImage(""), redis.WithDatabases(0))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "WithDatabases: 0")
	})
}

// fatalTB records Fatalf and stops the caller with a panic.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic("fatal")
}
