package wait

import "fmt"

// Result is the answer of one readiness check: not yet (with the reason),
// ready, or never (the target can not become ready, with the reason).
//
// The zero Result means "not yet" without a reason. Make one with NotYet,
// Ready or Never.
type Result struct {
	ready  bool
	never  bool
	reason error
}

// NotYet returns the Result "not ready yet": the check runs again after a
// pause. The reason is formatted as by fmt.Errorf (so %w wraps an error) and
// ends up in the timeout error if the target never becomes ready.
func NotYet(format string, args ...any) Result {
	return Result{reason: fmt.Errorf(format, args...)}
}

// Ready returns the Result "ready": the wait ends with success.
func Ready() Result { return Result{ready: true} }

// Never returns the Result "can never be ready": the wait ends at once with
// a *PermanentError that holds the reason, formatted as by fmt.Errorf.
func Never(format string, args ...any) Result {
	return Result{never: true, reason: fmt.Errorf(format, args...)}
}

// IsReady reports whether r is Ready.
func (r Result) IsReady() bool { return r.ready }

// IsNever reports whether r is Never.
func (r Result) IsNever() bool { return r.never }

// Reason returns why r is not ready (nil for Ready).
func (r Result) Reason() error { return r.reason }

// String describes r: "ready", "not yet: REASON" or "never: REASON".
func (r Result) String() string {
	switch {
	case r.ready:
		return "ready"
	case r.never:
		return fmt.Sprintf("never: %v", r.reason)
	case r.reason == nil:
		return "not yet"
	default:
		return fmt.Sprintf("not yet: %v", r.reason)
	}
}
