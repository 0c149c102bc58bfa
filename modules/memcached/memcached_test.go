package memcached_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/memcached"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	m := shared.Get(t)
	ns := m.NewNamespace(t)
	mc := m.Client(t)
	require.NoError(t, mc.Set(&memcache.Item{Key: ns.Key("greeting"), Value: []byte("hello")}))
	it, err := mc.Get(ns.Key("greeting"))
	require.NoError(t, err)
	assert.Equal(t, "hello", string(it.Value))
}

func TestIsolation(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			m := shared.Get(t)
			ns := m.NewNamespace(t)
			mc := m.Client(t)
			_, err := mc.Get(ns.Key("owner"))
			assert.ErrorIs(t, err, memcache.ErrCacheMiss, "a fresh namespace is empty")
			require.NoError(t, mc.Set(&memcache.Item{Key: ns.Key("owner"), Value: []byte(fmt.Sprint(i))}))
			time.Sleep(20 * time.Millisecond) // let the others write theirs
			it, err := mc.Get(ns.Key("owner"))
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprint(i), string(it.Value))
		})
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	m := memcached.Start(t)
	mc := m.Client(t)
	require.NoError(t, mc.Set(&memcache.Item{Key: "k", Value: []byte("v")}))
	before := m.Addr()
	require.NoError(t, m.Restart(t.Context()))
	t.Logf("address before the restart %s, after %s", before, m.Addr())
	// A connection from before the restart may fail once.
	require.Eventually(t, func() bool {
		return mc.Set(&memcache.Item{Key: "k2", Value: []byte("v2")}) == nil
	}, 10*time.Second, 10*time.Millisecond)
	it, err := mc.Get("k2")
	require.NoError(t, err)
	assert.Equal(t, "v2", string(it.Value))
	_, err = mc.Get("k")
	assert.ErrorIs(t, err, memcache.ErrCacheMiss, "no data survives a restart")
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not memcached", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		m, err := memcached.Run(ctx, memcached.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a memcached image")
		require.NotNil(t, m)
		require.NoError(t, m.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		m, err := memcached.Run(t.Context(), memcached.WithImage("testdock.local/no-such-memcached:latest"))
		require.Error(t, err)
		assert.Nil(t, m)
		assert.Contains(t, err.Error(), "testdock.local/no-such-memcached:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := memcached.Run(t.Context(), memcached.WithImage(""), memcached.WithMemory(0))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "WithMemory")
	})
}
