package mqtt_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

func TestIsolation(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			b := shared.Get(t)
			p := b.NewPrefix(t)
			c := b.Client(t)
			ch := subscribe(t, c, p+"#")
			for range 5 {
				publish(t, c, p+"owner", fmt.Sprint(i))
			}
			for range 5 {
				assert.Equal(t, fmt.Sprint(i), receive(t, ch), "only this test's messages")
			}
			select {
			case m := <-ch:
				t.Errorf("unexpected message %q", m)
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	b := mqtt.Start(t)
	ch := make(chan string, 10)
	c := b.Client(t, func(o *paho.ClientOptions) {
		// Subscribe on every connect: sessions are clean.
		o.SetOnConnectHandler(func(c paho.Client) {
			c.Subscribe("after/restart", 1, func(_ paho.Client, m paho.Message) { ch <- string(m.Payload()) })
		})
	})
	before := b.BrokerURL()
	require.NoError(t, b.Restart(t.Context()))
	t.Logf("URL before the restart %s, after %s", before, b.BrokerURL())
	require.Eventually(t, func() bool { return c.IsConnectionOpen() }, 10*time.Second, 10*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // the OnConnect subscription
	publish(t, c, "after/restart", "back")
	assert.Equal(t, "back", receive(t, ch))
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
