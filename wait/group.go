package wait

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// group runs strategies at the same time on one target: the work of All
// and Any.
type group struct {
	kind     string // "all" or "any"
	children []Strategy
	timeout  time.Duration
}

// String describes the group, such as "all of (A; B)".
func (g group) String() string {
	names := make([]string, len(g.children))
	for i, c := range g.children {
		names[i] = describe(c)
	}
	return withTimeout(fmt.Sprintf("%s of (%s)", g.kind, strings.Join(names, "; ")), g.timeout)
}

// describe names a strategy in messages.
func describe(s Strategy) string {
	if st, ok := s.(fmt.Stringer); ok {
		return st.String()
	}
	return fmt.Sprintf("%T", s)
}

func (g group) expectsExit() bool {
	for _, c := range g.children {
		if ExpectsExit(c) {
			return true
		}
	}
	return false
}

// wait runs the children until all of them are ready (all) or one is
// (any); see All and Any for the errors.
func (g group) wait(ctx context.Context, t Target) error {
	ctx, cancel, r := begin(ctx, g.String(), g.timeout)
	defer cancel()
	for _, c := range g.children {
		if c == nil {
			return r.invalid(fmt.Errorf("%s: a strategy is nil", g.kind))
		}
	}
	if len(g.children) == 0 {
		return nil
	}
	outer := ctx.Value(inGroup{}) == nil
	cctx, stop := context.WithCancel(context.WithValue(ctx, inGroup{}, true))
	defer stop()

	errs := make([]error, len(g.children))
	var mu sync.Mutex
	first, ready := -1, 0
	var wg sync.WaitGroup
	for i, c := range g.children {
		wg.Go(func() {
			err := c.Wait(cctx, t)
			mu.Lock()
			defer mu.Unlock()
			errs[i] = err
			switch {
			case err == nil:
				ready++
				if g.kind == "any" {
					stop()
				}
			case first < 0 && !expired(cctx):
				first = i
				if g.kind == "all" {
					stop()
				}
			}
		})
	}
	wg.Wait()

	switch {
	case g.kind == "all" && ready == len(g.children), g.kind == "any" && ready > 0:
		return nil
	case g.kind == "all" && first >= 0:
		return g.withLogs(ctx, t, errs[first], outer)
	case expired(ctx) || first < 0:
		return g.ended(ctx, t, r, errs, outer)
	default:
		e := &PermanentError{Strategy: r.desc, Waited: time.Since(r.start), Err: errors.Join(errs...)}
		if outer {
			e.LastLogs, e.logsRead = lastLogs(ctx, t), true
		}
		return e
	}
}

// ended reports the group's context ending: a *TimeoutError that lists
// what each child still waited for, or the cancellation.
func (g group) ended(ctx context.Context, t Target, r *run, errs []error, outer bool) error {
	var reasons []error
	for i, err := range errs {
		if err == nil {
			continue
		}
		var te *TimeoutError
		switch {
		case errors.As(err, &te) && te.Err != nil:
			reasons = append(reasons, fmt.Errorf("%s: %w", te.Strategy, te.Err))
		case errors.As(err, &te):
			reasons = append(reasons, fmt.Errorf("%s: no check finished in time", te.Strategy))
		default:
			reasons = append(reasons, fmt.Errorf("%s: %w", describe(g.children[i]), err))
		}
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return r.ended(ctx, t, errors.Join(reasons...))
	}
	e := &TimeoutError{Strategy: r.desc, Waited: time.Since(r.start), Limit: r.limit, Err: errors.Join(reasons...)}
	if outer {
		e.LastLogs, e.logsRead = lastLogs(ctx, t), true
	}
	return e
}

// withLogs adds the last log lines to a child's error when the group is
// not itself in a group.
func (g group) withLogs(ctx context.Context, t Target, err error, outer bool) error {
	if !outer {
		return err
	}
	var pe *PermanentError
	var te *TimeoutError
	switch {
	case errors.As(err, &pe) && !pe.logsRead:
		pe.LastLogs, pe.logsRead = lastLogs(ctx, t), true
	case errors.As(err, &te) && !te.logsRead:
		te.LastLogs, te.logsRead = lastLogs(ctx, t), true
	}
	return err
}
