package main

import (
	"sync"
	"time"
)

// Event is one readiness event reported by /ready: something a waiter could
// notice, with the time it happened, taken right after the write or listen
// call returned.
type Event struct {
	// Kind is "log" (a -log or -stderr-log line was written), "tcp" or
	// "http" (a listener opened) or "health" (the health path first
	// answered 2xx).
	Kind string `json:"kind"`
	// Text is the line written, without its newline; for kind "log".
	Text string `json:"text,omitempty"`
	// Stream is "stdout" or "stderr"; for kind "log".
	Stream string `json:"stream,omitempty"`
	// Port is the port listened on; for kinds "tcp" and "http".
	Port int `json:"port,omitempty"`
	// Status is the HTTP status answered; for kind "health".
	Status int `json:"status,omitempty"`
	// At is the time of the event in Unix nanoseconds.
	At int64 `json:"at"`
}

// Ready is the /ready report.
type Ready struct {
	// StartedAtNS is the process start time in Unix nanoseconds.
	StartedAtNS int64 `json:"started_at_ns"`
	// Events are the readiness events so far, oldest first; never null.
	Events []Event `json:"events"`
}

// record keeps the events and signals of one server. It is safe for
// concurrent use.
type record struct {
	mu         sync.Mutex
	events     []Event
	healthSeen bool
	signals    []string
}

// add appends e, stamped with at.
func (r *record) add(e Event, at time.Time) {
	e.At = at.UnixNano()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// addHealth appends a "health" event unless one was already recorded.
func (r *record) addHealth(status int, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.healthSeen {
		return
	}
	r.healthSeen = true
	r.events = append(r.events, Event{Kind: "health", Status: status, At: at.UnixNano()})
}

// addSignal records a signal received.
func (r *record) addSignal(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.signals = append(r.signals, name)
}

// snapshot returns copies of the events and signals; neither is nil.
func (r *record) snapshot() (events []Event, signals []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event{}, r.events...), append([]string{}, r.signals...)
}
