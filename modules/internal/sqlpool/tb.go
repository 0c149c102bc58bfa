package sqlpool

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/testdock/testdock/fixture"
)

// Hinted returns t, whose Fatalf adds hint when one of its arguments is a
// *fixture.StartError (the container started but never served): a module
// passes it to fixture.Start so that a wrong image is named as such.
func Hinted(t testing.TB, hint string) testing.TB {
	return hinted{t, hint}
}

type hinted struct {
	testing.TB
	hint string
}

// Fatalf fails the test, with the hint after a start error.
func (h hinted) Fatalf(format string, args ...any) {
	h.TB.Helper()
	for _, a := range args {
		if err, ok := a.(error); ok {
			var se *fixture.StartError
			if errors.As(err, &se) {
				h.TB.Fatalf(format+"\n%s", append(args, h.hint)...)
			}
		}
	}
	h.TB.Fatalf(format, args...)
}

// Deadline passes on the test's deadline, which fixture.Start reads.
func (h hinted) Deadline() (time.Time, bool) {
	if d, ok := h.TB.(interface{ Deadline() (time.Time, bool) }); ok {
		return d.Deadline()
	}
	return time.Time{}, false
}

// Explain adds hint to a start error of fixture.Run when the container
// started but never served.
func Explain(err error, hint string) error {
	var se *fixture.StartError
	if errors.As(err, &se) {
		return fmt.Errorf("%w\n%s", err, hint)
	}
	return err
}
