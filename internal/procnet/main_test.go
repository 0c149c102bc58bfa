package procnet

import (
	"testing"

	"github.com/testdock/testdock/internal/leaktest"
)

// TestMain fails the run when a goroutine outlives the tests.
func TestMain(m *testing.M) { leaktest.Main(m) }
