package etcd

import (
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/testdock/testdock/modules/internal/svckit"
)

// NewPrefix returns a random key prefix of the test's own, such as
// "/t_k3j9x0q2ab/". Every key under it is deleted when the test ends. It
// is safe for parallel tests.
func (c *Container) NewPrefix(t testing.TB) string {
	t.Helper()
	p := "/t_" + svckit.Random(10) + "/"
	t.Cleanup(func() {
		ctx, cancel := svckit.CleanupContext(10 * time.Second)
		defer cancel()
		cli, err := clientv3.New(c.Config())
		if err != nil {
			t.Errorf("etcd: delete prefix %s: %v", p, err)
			return
		}
		defer cli.Close()
		if _, err := cli.Delete(ctx, p, clientv3.WithPrefix()); err != nil {
			t.Errorf("etcd: delete prefix %s: %v", p, err)
		}
	})
	return p
}
