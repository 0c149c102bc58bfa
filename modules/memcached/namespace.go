package memcached

import (
	"testing"

	"github.com/testdock/testdock/modules/internal/svckit"
)

// Namespace is a key prefix of a test's own on a (shared) server, made by
// NewNamespace.
type Namespace struct {
	// Prefix starts every key of the namespace, e.g. "t_k3j9x0q2ab:".
	Prefix string
}

// NewNamespace gives the test a random key prefix of its own. Its items
// are not removed when the test ends (memcached can't list keys); see the
// package doc. It is safe for parallel tests.
func (c *Container) NewNamespace(t testing.TB) *Namespace {
	t.Helper()
	return &Namespace{Prefix: "t_" + svckit.Random(10) + ":"}
}

// Key returns key in the namespace: Prefix+key. memcached keys are at most
// 250 bytes, the prefix included.
func (n *Namespace) Key(key string) string { return n.Prefix + key }
