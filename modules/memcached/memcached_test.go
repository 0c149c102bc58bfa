package memcached_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/internal/testkit"
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

// TestIsolation: parallel tests write the same key, each in its own
// namespace; once all have written, each reads back its own value.
func TestIsolation(t *testing.T) {
	t.Parallel()
	wrote := testkit.NewBarrier(t, 4)
	for i := range wrote.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meet := wrote.Join(t)
			m := shared.Get(t)
			ns := m.NewNamespace(t)
			mc := m.Client(t)
			_, err := mc.Get(ns.Key("owner"))
			assert.ErrorIs(t, err, memcache.ErrCacheMiss, "a fresh namespace is empty")
			require.NoError(t, mc.Set(&memcache.Item{Key: ns.Key("owner"), Value: []byte(fmt.Sprint(i))}))
			meet() // the others have written theirs
			it, err := mc.Get(ns.Key("owner"))
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprint(i), string(it.Value), "no other test wrote to namespace %s", ns.Prefix)
		})
	}
}

// Client's client is closed when the test ends: the server sees its
// connection go.
func TestClientClosed(t *testing.T) {
	t.Parallel()
	m := memcached.Start(t)
	var (
		mc   *memcache.Client
		open int
	)
	t.Run("client", func(t *testing.T) {
		mc = m.Client(t)
		require.NoError(t, mc.Set(&memcache.Item{Key: "k", Value: []byte("v")}))
		open = connections(t, m) // with the client's idle connection
	})
	// The server notices a closed connection a moment later.
	assert.EventuallyWithT(t, func(c *assert.CollectT) {
		assert.Less(c, connections(t, m), open, "the client's connection is closed after its test")
	}, 10*time.Second, 10*time.Millisecond)
	// Not the garbage collector: a connection it finalizes closes too.
	runtime.KeepAlive(mc)
}

// connections returns the server's curr_connections, counted on a
// connection of its own (which the count includes).
func connections(t *testing.T, m *memcached.Container) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", m.Addr(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = conn.Write([]byte("stats\r\n"))
	require.NoError(t, err)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "STAT curr_connections "); ok {
			v, err := strconv.Atoi(n)
			require.NoError(t, err)
			return v
		}
		if sc.Text() == "END" {
			break
		}
	}
	require.NoError(t, sc.Err())
	t.Fatal("no curr_connections in the server's stats")
	return 0
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
