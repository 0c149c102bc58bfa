package nats_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/internal/testkit"
	"github.com/testdock/testdock/modules/nats"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	n := shared.Get(t)
	assert.True(t, strings.HasPrefix(n.URL(), "nats://test:"+n.Password()+"@127.0.0.1:"), n.URL())
	p := n.NewPrefix(t)
	nc := n.Conn(t)
	sub, err := nc.SubscribeSync(p + ".hello")
	require.NoError(t, err)
	require.NoError(t, nc.Publish(p+".hello", []byte("world")))
	msg, err := sub.NextMsg(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, "world", string(msg.Data))

	// Without the password the server refuses.
	_, err = natsgo.Connect("nats://"+n.Endpoint("4222/tcp"), natsgo.NoReconnect())
	assert.ErrorIs(t, err, natsgo.ErrAuthorization)
}

func TestJetStream(t *testing.T) {
	t.Parallel()
	n := shared.Get(t)
	p := n.NewPrefix(t)
	js := n.JetStream(t)
	ctx := t.Context()
	_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: p, Subjects: []string{p + ".>"}})
	require.NoError(t, err)
	_, err = js.Publish(ctx, p+".orders", []byte("42"))
	require.NoError(t, err)
	s, err := js.Stream(ctx, p)
	require.NoError(t, err)
	m, err := s.GetLastMsgForSubject(ctx, p+".orders")
	require.NoError(t, err)
	assert.Equal(t, "42", string(m.Data))
}

// TestIsolation: parallel tests each subscribe to their own prefix and,
// once all have subscribed, publish on it. Once all have published, each
// publishes an end message: the server delivers a subscription's messages
// in the order it took them, so what the test's subscription got before
// its end message is all that it could get from the others too, and it
// must be the test's own messages only.
func TestIsolation(t *testing.T) {
	t.Parallel()
	subscribed, published := testkit.NewBarrier(t, 4), testkit.NewBarrier(t, 4)
	for i := range subscribed.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meetSubscribed, meetPublished := subscribed.Join(t), published.Join(t)
			n := shared.Get(t)
			p := n.NewPrefix(t)
			nc := n.Conn(t)
			sub, err := nc.SubscribeSync(p + ".>")
			require.NoError(t, err)
			require.NoError(t, nc.Flush()) // the server has the subscription
			meetSubscribed()
			for range 5 {
				require.NoError(t, nc.Publish(p+".owner", []byte(fmt.Sprint(i))))
			}
			require.NoError(t, nc.Flush()) // the server has routed the messages
			meetPublished()
			end := fmt.Sprintf("end of %d", i)
			require.NoError(t, nc.Publish(p+".end", []byte(end)))
			var got []string
			for {
				msg, err := sub.NextMsg(5 * time.Second)
				require.NoError(t, err, "the end message after %q", got)
				if string(msg.Data) == end {
					break
				}
				got = append(got, string(msg.Data))
			}
			want := slices.Repeat([]string{fmt.Sprint(i)}, 5)
			assert.Equal(t, want, got, "only this test's messages on %s.>", p)
		})
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	n := nats.Start(t)
	nc := n.Conn(t)
	sub, err := nc.SubscribeSync("after.restart")
	require.NoError(t, err)
	before := n.Endpoint("4222/tcp")
	require.NoError(t, n.Restart(t.Context()))
	t.Logf("address before the restart %s, after %s", before, n.Endpoint("4222/tcp"))
	require.Eventually(t, func() bool { return nc.IsConnected() }, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, nc.Flush())
	require.NoError(t, nc.Publish("after.restart", []byte("back")))
	msg, err := sub.NextMsg(5 * time.Second)
	require.NoError(t, err, "the subscription is restored on reconnect")
	assert.Equal(t, "back", string(msg.Data))
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not nats", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		n, err := nats.Run(ctx, nats.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a NATS image")
		require.NotNil(t, n)
		require.NoError(t, n.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		n, err := nats.Run(t.Context(), nats.WithImage("testdock.local/no-such-nats:latest"))
		require.Error(t, err)
		assert.Nil(t, n)
		assert.Contains(t, err.Error(), "testdock.local/no-such-nats:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := nats.Run(t.Context(), nats.WithImage(""), nats.WithUser(""))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "WithUser: the user is empty")
	})
}
