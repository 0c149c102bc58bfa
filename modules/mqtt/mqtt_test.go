package mqtt_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/internal/testkit"
	"github.com/testdock/testdock/modules/mqtt"
)

// subscribe subscribes c to topic and returns the channel of payloads.
func subscribe(t *testing.T, c paho.Client, topic string) <-chan string {
	t.Helper()
	ch := make(chan string, 100)
	tok := c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) { ch <- string(m.Payload()) })
	require.True(t, tok.WaitTimeout(5*time.Second))
	require.NoError(t, tok.Error())
	return ch
}

func publish(t *testing.T, c paho.Client, topic, payload string) {
	t.Helper()
	tok := c.Publish(topic, 1, false, payload)
	require.True(t, tok.WaitTimeout(5*time.Second))
	require.NoError(t, tok.Error())
}

func receive(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message in 5s")
		return ""
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	b := shared.Get(t)
	p := b.NewPrefix(t)
	c := b.Client(t)
	ch := subscribe(t, c, p+"hello")
	publish(t, c, p+"hello", "world")
	assert.Equal(t, "world", receive(t, ch))

	// Without the password the broker refuses.
	o := b.Options()
	o.SetPassword("wrong")
	o.SetAutoReconnect(false)
	anon := paho.NewClient(o)
	tok := anon.Connect()
	require.True(t, tok.WaitTimeout(5*time.Second))
	assert.Error(t, tok.Error())
}

// TestIsolation: parallel tests each subscribe to their own prefix and,
// once all have subscribed, publish on it (QoS 1: the broker has queued a
// message for the subscribers when it acknowledges it). Once all have
// published, each publishes an end message: the broker delivers a
// subscription's messages in the order it took them, so what the test's
// subscription got before its end message is all that it could get from
// the others too, and it must be the test's own messages only.
func TestIsolation(t *testing.T) {
	t.Parallel()
	subscribed, published := testkit.NewBarrier(t, 4), testkit.NewBarrier(t, 4)
	for i := range subscribed.N() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			meetSubscribed, meetPublished := subscribed.Join(t), published.Join(t)
			b := shared.Get(t)
			p := b.NewPrefix(t)
			c := b.Client(t)
			ch := subscribe(t, c, p+"#")
			meetSubscribed()
			for range 5 {
				publish(t, c, p+"owner", fmt.Sprint(i))
			}
			meetPublished()
			end := fmt.Sprintf("end of %d", i)
			publish(t, c, p+"end", end)
			var got []string
			for m := receive(t, ch); m != end; m = receive(t, ch) {
				got = append(got, m)
			}
			want := slices.Repeat([]string{fmt.Sprint(i)}, 5)
			assert.Equal(t, want, got, "only this test's messages on %s#", p)
		})
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	b := mqtt.Start(t)
	ch := make(chan string, 10)
	// subscribed has the result of each connect's subscription.
	subscribed := make(chan error, 10)
	c := b.Client(t, func(o *paho.ClientOptions) {
		// Subscribe on every connect: sessions are clean. paho calls the
		// handler in a goroutine of its own, so it may wait.
		o.SetOnConnectHandler(func(c paho.Client) {
			tok := c.Subscribe("after/restart", 1, func(_ paho.Client, m paho.Message) { ch <- string(m.Payload()) })
			if !tok.WaitTimeout(5 * time.Second) {
				subscribed <- errors.New("no SUBACK in 5s")
				return
			}
			subscribed <- tok.Error()
		})
	})
	awaitSubscribed(t, subscribed) // the first connect's
	before := b.BrokerURL()
	require.NoError(t, b.Restart(t.Context()))
	t.Logf("URL before the restart %s, after %s", before, b.BrokerURL())
	awaitSubscribed(t, subscribed) // the reconnect's
	assert.True(t, c.IsConnectionOpen())
	publish(t, c, "after/restart", "back")
	assert.Equal(t, "back", receive(t, ch))
}

// awaitSubscribed waits for the OnConnect handler's next subscription.
func awaitSubscribed(t *testing.T, subscribed <-chan error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	select {
	case err := <-subscribed:
		require.NoError(t, err, "the OnConnect subscription")
	case <-ctx.Done():
		t.Fatal("the client did not connect and subscribe in 30s")
	}
}

func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not mosquitto", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		b, err := mqtt.Run(ctx, mqtt.WithImage("testdock.local/testserver:latest"), mqtt.WithStartupTimeout(3*time.Second))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a Mosquitto image")
		require.NotNil(t, b)
		require.NoError(t, b.Terminate(context.Background()))
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		b, err := mqtt.Run(t.Context(), mqtt.WithImage("testdock.local/no-such-mosquitto:latest"))
		require.Error(t, err)
		assert.Nil(t, b)
		assert.Contains(t, err.Error(), "testdock.local/no-such-mosquitto:latest")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := mqtt.Run(t.Context(), mqtt.WithImage(""), mqtt.WithUser("a:b"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "WithUser")
	})
}
