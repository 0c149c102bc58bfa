package rabbitmq_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/internal/testkit"
	"github.com/testdock/testdock/modules/rabbitmq"
)

// roundTrip declares a queue, publishes body to it and reads it back.
func roundTrip(t *testing.T, conn *amqp.Connection, queue, body string) {
	t.Helper()
	ch, err := conn.Channel()
	require.NoError(t, err)
	defer ch.Close()
	_, err = ch.QueueDeclare(queue, true, false, false, false, nil)
	require.NoError(t, err)
	require.NoError(t, ch.PublishWithContext(t.Context(), "", queue, false, false, amqp.Publishing{Body: []byte(body)}))
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		m, ok, err := ch.Get(queue, true)
		require.NoError(c, err)
		require.True(c, ok, "a message in %s", queue)
		assert.Equal(c, body, string(m.Body))
	}, 5*time.Second, 10*time.Millisecond)
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	r := shared.Get(t)
	roundTrip(t, r.Conn(t), "greetings", "hello")

	resp, err := http.Get(r.ManagementURL() + "/api/overview")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the management API needs the credentials")

	_, err = amqp.Dial(fmt.Sprintf("amqp://guest:guest@%s/", r.Endpoint("5672/tcp")))
	assert.Error(t, err, "guest is not the user")
}

// TestIsolation: parallel tests publish to a queue of the same name, each
// in its own virtual host; once the broker has confirmed all the messages,
// each finds only its own in its queue.
func TestIsolation(t *testing.T) {
	t.Parallel()
	published := testkit.NewBarrier(t, 3)
	for i := range published.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meet := published.Join(t)
			r := shared.Get(t)
			v := r.NewVhost(t)
			conn := v.Conn(t)
			ch, err := conn.Channel()
			require.NoError(t, err)
			defer ch.Close()
			// The same queue name in every test: each sees only its own.
			_, err = ch.QueueDeclare("work", true, false, false, false, nil)
			require.NoError(t, err)
			// The broker confirms a message once it is in the queue.
			require.NoError(t, ch.Confirm(false))
			dc, err := ch.PublishWithDeferredConfirmWithContext(t.Context(), "", "work", false, false, amqp.Publishing{Body: []byte(fmt.Sprint(i))})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			acked, err := dc.WaitContext(ctx)
			require.NoError(t, err)
			require.True(t, acked, "the broker took the message")
			meet() // the others' messages are in their queues
			q, err := ch.QueueDeclarePassive("work", true, false, false, false, nil)
			require.NoError(t, err)
			assert.Equal(t, 1, q.Messages, "only this test's message in %s", v.Name)
			m, ok, err := ch.Get("work", true)
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, fmt.Sprint(i), string(m.Body))
		})
	}
	t.Run("other vhosts are closed to a test's user", func(t *testing.T) {
		t.Parallel()
		r := shared.Get(t)
		a, b := r.NewVhost(t), r.NewVhost(t)
		_, err := amqp.Dial(fmt.Sprintf("amqp://%s:%s@%s/%s", a.User, a.Password, r.Endpoint("5672/tcp"), b.Name))
		assert.Error(t, err)
	})
}

// TestRestart restarts the shared broker: it is not parallel, so it runs
// before the parallel tests resume (a broker of its own would cost another
// start of half a minute on a busy machine). It follows the usual
// amqp091-go reconnect pattern: wait for NotifyClose, dial again.
func TestRestart(t *testing.T) {
	r := shared.Get(t)
	v := r.NewVhost(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	// Before: a durable queue and a persistent message the broker
	// confirmed (it confirms a persistent message once it is on disk).
	old := v.Conn(t)
	closed := old.NotifyClose(make(chan *amqp.Error, 1))
	ch, err := old.Channel()
	require.NoError(t, err)
	_, err = ch.QueueDeclare("orders", true, false, false, false, nil)
	require.NoError(t, err)
	require.NoError(t, ch.Confirm(false))
	dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, "", "orders", false, false, amqp.Publishing{
		DeliveryMode: amqp.Persistent,
		Body:         []byte("order 1"),
	})
	require.NoError(t, err)
	acked, err := dc.WaitContext(ctx)
	require.NoError(t, err)
	require.True(t, acked, "the broker took the message")

	before := v.URL()
	require.NoError(t, r.Restart(ctx))
	t.Logf("URL before the restart %s, after %s", before, v.URL())

	// The old connection does not come back: NotifyClose says so.
	select {
	case err := <-closed:
		require.NotNil(t, err, "closed by the broker, not by us")
		t.Logf("the old connection closed: %v", err)
	case <-ctx.Done():
		t.Fatal("the connection from before the restart is not closed")
	}
	assert.True(t, old.IsClosed())

	// Dial again, at the current address: Conn (or amqp.Dial(v.URL())
	// with the URL asked again after the restart).
	conn := v.Conn(t)
	ch, err = conn.Channel()
	require.NoError(t, err)
	defer ch.Close()
	q, err := ch.QueueDeclarePassive("orders", true, false, false, false, nil)
	require.NoError(t, err, "the durable queue survives the restart")
	assert.Equal(t, 1, q.Messages, "the persistent message survives the restart")
	m, ok, err := ch.Get("orders", false)
	require.NoError(t, err)
	require.True(t, ok, "a message in orders")
	assert.Equal(t, "order 1", string(m.Body))
	require.NoError(t, m.Ack(false))

	// And the URL as it is now works for a plain amqp.Dial too.
	plain, err := amqp.Dial(v.URL())
	require.NoError(t, err)
	require.NoError(t, plain.Close())
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not rabbitmq", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		r, err := rabbitmq.Run(ctx, rabbitmq.WithImage("testdock.local/testserver:latest"), rabbitmq.WithStartupTimeout(3*time.Second))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a RabbitMQ image")
		require.NotNil(t, r)
		require.NoError(t, r.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		r, err := rabbitmq.Run(t.Context(), rabbitmq.WithImage("testdock.local/no-such-rabbitmq:latest"))
		require.Error(t, err)
		assert.Nil(t, r)
		assert.Contains(t, err.Error(), "testdock.local/no-such-rabbitmq:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := rabbitmq.Run(t.Context(), rabbitmq.WithImage(""), rabbitmq.WithUser(""))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "WithUser: the user is empty")
	})
}
