package etcd_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/testdock/testdock/modules/etcd"
	"github.com/testdock/testdock/modules/internal/testkit"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	e := shared.Get(t)
	p := e.NewPrefix(t)
	cli := e.Client(t)
	ctx := t.Context()
	_, err := cli.Put(ctx, p+"greeting", "hello")
	require.NoError(t, err)
	r, err := cli.Get(ctx, p+"greeting")
	require.NoError(t, err)
	require.Len(t, r.Kvs, 1)
	assert.Equal(t, "hello", string(r.Kvs[0].Value))

	st, err := cli.Status(ctx, e.URL())
	require.NoError(t, err)
	t.Logf("etcd server %s, client v3.7", st.Version)

	// Without the password the server refuses.
	cfg := e.Config()
	cfg.Username, cfg.Password = "", ""
	anon, err := clientv3.New(cfg)
	require.NoError(t, err)
	defer anon.Close()
	_, err = anon.Get(ctx, p+"greeting")
	assert.Error(t, err, "authentication is on")
}

// TestIsolation: parallel tests write the same key, each under its own
// prefix; once all have written, each finds only its own value there.
func TestIsolation(t *testing.T) {
	t.Parallel()
	wrote := testkit.NewBarrier(t, 4)
	for i := range wrote.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meet := wrote.Join(t)
			e := shared.Get(t)
			p := e.NewPrefix(t)
			cli := e.Client(t)
			ctx := t.Context()
			_, err := cli.Put(ctx, p+"owner", fmt.Sprint(i))
			require.NoError(t, err)
			meet() // the others have written theirs
			r, err := cli.Get(ctx, p, clientv3.WithPrefix())
			require.NoError(t, err)
			require.Len(t, r.Kvs, 1, "only this test's keys under its prefix")
			assert.Equal(t, fmt.Sprint(i), string(r.Kvs[0].Value))
		})
	}
}

func TestPrefixRemoved(t *testing.T) {
	t.Parallel()
	e := shared.Get(t)
	var p string
	t.Run("writer", func(t *testing.T) {
		p = e.NewPrefix(t)
		_, err := e.Client(t).Put(t.Context(), p+"k", "v")
		require.NoError(t, err)
	})
	r, err := e.Client(t).Get(t.Context(), p, clientv3.WithPrefix(), clientv3.WithCountOnly())
	require.NoError(t, err)
	assert.Zero(t, r.Count, "the prefix's keys are deleted at cleanup")
}

func TestRestart(t *testing.T) {
	t.Parallel()
	t.Run("without auth the client reconnects", func(t *testing.T) {
		t.Parallel()
		e := etcd.Start(t, etcd.WithoutAuth())
		cli := e.Client(t)
		restart(t, e, cli)
		assertPut(t, cli)
	})
	// Regression: with etcd's default "simple" auth tokens, which the server
	// forgets at a restart, a client from before the restart kept failing
	// with "invalid auth token". The server now hands out JWT tokens.
	t.Run("with auth the client reconnects", func(t *testing.T) {
		t.Parallel()
		e := etcd.Start(t)
		cli := e.Client(t)
		assertJWT(t, e, cli)
		restart(t, e, cli)
		assertPut(t, cli)
		r, err := cli.Get(t.Context(), "k2")
		require.NoError(t, err)
		require.Len(t, r.Kvs, 1)
		assert.Equal(t, "v2", string(r.Kvs[0].Value))
	})
}

// assertJWT checks that the server's auth tokens are JWTs signed with
// RS256: three base64url parts, the first a header naming the algorithm.
func assertJWT(t *testing.T, e *etcd.Container, cli *clientv3.Client) {
	t.Helper()
	r, err := cli.Authenticate(t.Context(), e.User(), e.Password())
	require.NoError(t, err)
	parts := strings.Split(r.Token, ".")
	require.Len(t, parts, 3, "a JWT, not a simple token: %q", r.Token)
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	var header struct{ Alg string }
	require.NoError(t, json.Unmarshal(b, &header))
	assert.Equal(t, "RS256", header.Alg)
}

// restart writes a key through cli, restarts the server and checks that
// the key is still there, read through a new client.
func restart(t *testing.T, e *etcd.Container, cli *clientv3.Client) {
	t.Helper()
	ctx := t.Context()
	_, err := cli.Put(ctx, "k", "v")
	require.NoError(t, err)
	before := e.URL()
	require.NoError(t, e.Restart(ctx))
	t.Logf("URL before the restart %s, after %s", before, e.URL())
	r, err := e.Client(t).Get(ctx, "k")
	require.NoError(t, err)
	require.Len(t, r.Kvs, 1, "the data survives a restart")
	assert.Equal(t, "v", string(r.Kvs[0].Value))
}

// assertPut writes k2 through cli, which may still be reconnecting.
func assertPut(t *testing.T, cli *clientv3.Client) {
	t.Helper()
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, err := cli.Put(ctx, "k2", "v2")
		assert.NoError(c, err)
	}, 15*time.Second, 20*time.Millisecond)
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not etcd", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		e, err := etcd.Run(ctx, etcd.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is an etcd image")
		require.NotNil(t, e)
		require.NoError(t, e.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		e, err := etcd.Run(t.Context(), etcd.WithImage("testdock.local/no-such-etcd:latest"))
		require.Error(t, err)
		assert.Nil(t, e)
		assert.Contains(t, err.Error(), "testdock.local/no-such-etcd:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := etcd.Run(t.Context(), etcd.WithImage(""))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
	})
}
