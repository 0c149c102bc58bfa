package wait_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// slowHealth builds the test server with a health check whose start period
// lets it start slowly (testdata/slowhealth).
var slowHealth = &fixture.Build{Context: "testdata/slowhealth"}

func TestHealthyOnContainer(t *testing.T) {
	t.Parallel()
	t.Run("ready", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: healthcheck, Cmd: []string{"-http", "8080"}})
		_, err := waitFor(t, wait.ForHealthy(), target, 30*time.Second)
		require.NoError(t, err)
		st, err := target.State(t.Context())
		require.NoError(t, err)
		assert.Equal(t, "healthy", st.Health)
	})
	t.Run("slow start", func(t *testing.T) {
		t.Parallel()
		c, target := start(t, fixture.Spec{Build: slowHealth, Cmd: []string{"-http", "8080", "-healthy-after", "1500ms"}})
		returned, err := waitFor(t, wait.ForHealthy(), target, 30*time.Second)
		require.NoError(t, err)
		assertReadyAfter(t, readyAt(t, c, "health", ""), returned, 0)
	})
	t.Run("never ready", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Build: slowHealth, Cmd: []string{"-log", "0=booting", "-http", "8080", "-healthy-after", "1h"}})
		_, err := waitFor(t, wait.ForHealthy().WithTimeout(neverLimit), target, 30*time.Second)
		assertTimeout(t, err, "health check: starting: ", "booting")
		assert.ErrorContains(t, err, "503")
	})
	t.Run("unhealthy", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Image: healthcheck, Cmd: []string{"-log", "0=booting", "-http", "8080", "-health-status", "500"}})
		_, err := waitFor(t, wait.ForHealthy(), target, 30*time.Second)
		var pe *wait.PermanentError
		require.ErrorAs(t, err, &pe)
		assert.ErrorContains(t, err, "health check: unhealthy: ")
		assert.ErrorContains(t, err, "500")
		assert.ErrorContains(t, err, "booting")
	})
	t.Run("no health check", func(t *testing.T) {
		t.Parallel()
		_, target := server(t)
		_, err := waitFor(t, wait.ForHealthy(), target, 30*time.Second)
		assert.ErrorIs(t, err, wait.ErrNoHealthCheck)
	})
	t.Run("dies while waiting", func(t *testing.T) {
		t.Parallel()
		_, target := start(t, fixture.Spec{Build: slowHealth, Cmd: []string{"-log", "0=booting", "-exit", "3@700ms"}})
		returned, err := waitFor(t, wait.ForHealthy(), target, 30*time.Second)
		assertDied(t, err, returned, target, 3, "booting")
	})
}
