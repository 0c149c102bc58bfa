package main

import (
	"io"
	"sync"
)

// lineWriter writes whole lines to w, one at a time, so lines written by
// different goroutines never interleave. It is safe for concurrent use.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// newLineWriter returns a lineWriter writing to w.
func newLineWriter(w io.Writer) *lineWriter {
	return &lineWriter{w: w}
}

// println writes s followed by a newline in a single Write call.
func (l *lineWriter) println(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, s+"\n")
}
