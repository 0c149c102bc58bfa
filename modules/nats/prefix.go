package nats

import (
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/testdock/testdock/modules/internal/svckit"
)

// NewPrefix returns a random subject prefix of the test's own, such as
// "t_k3j9x0q2ab": subjects under prefix+".>" are the test's. It is also a
// valid stream name: with JetStream on, streams whose name starts with the
// prefix are deleted when the test ends. It is safe for parallel tests.
func (c *Container) NewPrefix(t testing.TB) string {
	t.Helper()
	p := "t_" + svckit.Random(10)
	if c.cfg.jetStream {
		t.Cleanup(func() { c.deleteStreams(t, p) })
	}
	return p
}

func (c *Container) deleteStreams(t testing.TB, prefix string) {
	ctx, cancel := svckit.CleanupContext(10 * time.Second)
	defer cancel()
	nc, err := nats.Connect("nats://"+c.Endpoint(port), nats.UserInfo(c.cfg.user, c.password), nats.NoReconnect())
	if err != nil {
		t.Errorf("nats: delete the streams of prefix %s: %v", prefix, err)
		return
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Errorf("nats: delete the streams of prefix %s: %v", prefix, err)
		return
	}
	names := js.StreamNames(ctx)
	var mine []string
	for n := range names.Name() {
		if strings.HasPrefix(n, prefix) {
			mine = append(mine, n)
		}
	}
	if err := names.Err(); err != nil {
		t.Errorf("nats: list streams: %v", err)
	}
	for _, n := range mine {
		if err := js.DeleteStream(ctx, n); err != nil && err != jetstream.ErrStreamNotFound {
			t.Errorf("nats: delete stream %s: %v", n, err)
		}
	}
}
