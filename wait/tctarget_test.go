package wait

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// tcFake is a testcontainers-go target whose log grows by one line per
// read, until it has stopped.
type tcFake struct {
	mu    sync.Mutex
	lines []string
	reads int
	state container.State
}

var _ tcwait.StrategyTarget = (*tcFake)(nil)

func (f *tcFake) Host(context.Context) (string, error) { return "127.0.0.1", nil }
func (f *tcFake) Inspect(context.Context) (*container.InspectResponse, error) {
	return nil, errors.New("not used")
}
func (f *tcFake) Ports(context.Context) (network.PortMap, error) { return nil, errors.New("not used") }
func (f *tcFake) MappedPort(_ context.Context, p string) (network.Port, error) {
	if p != "8080/tcp" {
		return network.Port{}, errors.New("no such port")
	}
	return network.ParsePort("49153/tcp")
}
func (f *tcFake) Logs(context.Context) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := min(f.reads, len(f.lines))
	f.reads++
	return io.NopCloser(strings.NewReader(strings.Join(f.lines[:n], ""))), nil
}
func (f *tcFake) Exec(_ context.Context, cmd []string, opts ...tcexec.ProcessOption) (int, io.Reader, error) {
	var mux bytes.Buffer
	frame := func(stream byte, s string) {
		hdr := [8]byte{stream}
		binary.BigEndian.PutUint32(hdr[4:], uint32(len(s)))
		mux.Write(hdr[:])
		mux.WriteString(s)
	}
	frame(1, "out "+strings.Join(cmd, " ")+"\n")
	frame(2, "err\n")
	o := tcexec.NewProcessOptions(cmd)
	o.Reader = &mux
	for _, opt := range opts {
		opt.Apply(o)
	}
	return 3, o.Reader, nil
}
func (f *tcFake) State(context.Context) (*container.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state
	if f.reads > len(f.lines) {
		s = container.State{Status: container.StateExited, ExitCode: 1, StartedAt: s.StartedAt, FinishedAt: "2026-01-02T03:04:06Z"}
	}
	return &s, nil
}
func (f *tcFake) CopyFileFromContainer(_ context.Context, path string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("content of " + path)), nil
}

func TestTestcontainersTarget(t *testing.T) {
	f := &tcFake{state: container.State{Status: container.StateRunning, Running: true, StartedAt: "2026-01-02T03:04:05.123456789Z",
		Health: &container.Health{Status: container.Healthy, Log: []*container.HealthcheckResult{{Output: "ok\n"}}}}}
	a := FromTestcontainersTarget(f)
	ctx := context.Background()

	ep, err := a.Endpoint(ctx, "8080")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:49153", ep)
	_, err = a.Endpoint(ctx, "9090/tcp")
	assert.ErrorContains(t, err, "no such port")

	st, err := a.State(ctx)
	require.NoError(t, err)
	assert.Equal(t, State{Running: true, Status: "running", StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC),
		Health: "healthy", HealthLog: "ok"}, st)

	r, err := a.Exec(ctx, []string{"probe", "x"})
	require.NoError(t, err)
	assert.Equal(t, ExecResult{ExitCode: 3, Stdout: []byte("out probe x\n"), Stderr: []byte("err\n")}, r, "stdout and stderr are kept apart")

	b, err := a.ReadFile(ctx, "/etc/motd")
	require.NoError(t, err)
	assert.Equal(t, "content of /etc/motd", string(b))
}

func TestTestcontainersTargetFollowsByPolling(t *testing.T) {
	f := &tcFake{lines: []string{"starting\n", "ready\n", "ready\n", "done\n"}, state: container.State{Status: container.StateRunning, Running: true}}
	require.NoError(t, ForLog("ready").WithOccurrence(2).WaitUntilReady(context.Background(), f), "the emulated follow hands on each new line once")

	f = &tcFake{lines: []string{"starting\n", "ready\n"}, state: container.State{Status: container.StateRunning, Running: true}}
	err := ForLog("ready").WithOccurrence(2).WaitUntilReady(context.Background(), f)
	var ee *ExitError
	require.ErrorAs(t, err, &ee, "the emulated stream ends when the container stops")
	assert.Contains(t, err.Error(), "seen 1 of 2 in 2 log lines")
}

func TestOursAreTestcontainersStrategies(t *testing.T) {
	for _, s := range []tcwait.Strategy{
		ForLog("x"), ForPort("1"), ForHTTP("/"), ForSQL("d", "1", func(string) string { return "" }), ForExec("x"),
		ForHealthy(), ForExit(0), ForFile("/x"), ForFunc(func(context.Context, Target) Result { return Ready() }), All(), Any(),
	} {
		to, ok := s.(tcwait.StrategyTimeout)
		require.True(t, ok, "%T", s)
		assert.Nil(t, to.Timeout(), "%T", s)
	}
	assert.Equal(t, 3*time.Second, *ForPort("1").WithTimeout(3 * time.Second).Timeout())
}

func TestDemux(t *testing.T) {
	out, errOut := demux([]byte("plain output"))
	assert.Equal(t, "plain output", string(out), "not multiplexed: all of it is stdout")
	assert.Nil(t, errOut)
}
