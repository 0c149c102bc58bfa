package wait

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// fake is a Target for unit tests: running unless state says otherwise,
// with a fixed log and endpoint.
type fake struct {
	state    func() State
	logs     string
	endpoint string
}

func (f fake) Endpoint(context.Context, string) (string, error) { return f.endpoint, nil }
func (f fake) State(context.Context) (State, error) {
	if f.state == nil {
		return State{Running: true, Status: "running"}, nil
	}
	return f.state(), nil
}
func (f fake) Logs(context.Context, time.Time, bool) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(f.logs)), nil
}
func (f fake) Exec(context.Context, []string) (ExecResult, error) {
	return ExecResult{}, errors.New("no exec")
}
func (f fake) ReadFile(context.Context, string) ([]byte, error) { return nil, errors.New("no files") }
