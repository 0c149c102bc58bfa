package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
)

// server is one run of serve mode.
type server struct {
	cfg   config
	start time.Time        // process start; every delay counts from it
	now   func() time.Time // the clock; time.Now outside tests
	out   *lineWriter      // stdout
	err   *lineWriter      // stderr
	rec   *record
	exitc chan int // the first exit request wins; buffered
}

// newServer returns a server for cfg that started at start and writes to
// stdout and stderr.
func newServer(cfg config, start time.Time, stdout, stderr io.Writer) *server {
	return &server{
		cfg:   cfg,
		start: start,
		now:   time.Now,
		out:   newLineWriter(stdout),
		err:   newLineWriter(stderr),
		rec:   &record{},
		exitc: make(chan int, 1),
	}
}

// requestExit asks run to return code. Later requests are ignored.
func (s *server) requestExit(code int) {
	select {
	case s.exitc <- code:
	default:
	}
}

// run starts everything the configuration asks for, handles signals from
// sigs and returns the exit code when an exit is requested (by -exit, /exit,
// a signal or a failed listen) or 0 when ctx ends. stdin is read only with
// -stdin-echo. Listeners and timers end before run returns; a goroutine
// blocked reading stdin may outlive it.
func (s *server) run(ctx context.Context, sigs <-chan os.Signal, stdin io.Reader) int {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	if len(s.cfg.logs) > 0 || s.cfg.exit != nil {
		wg.Go(func() { s.timeline(ctx) })
	}
	for _, l := range s.cfg.tcp {
		wg.Go(func() { s.listen(ctx, "tcp", l) })
	}
	for _, l := range s.cfg.http {
		wg.Go(func() { s.listen(ctx, "http", l) })
	}
	for _, a := range s.cfg.allocs {
		wg.Go(func() { s.alloc(ctx, a) })
	}
	if s.cfg.stdinEcho {
		go s.echoStdin(stdin)
	}
	for {
		select {
		case code := <-s.exitc:
			return code
		case sig := <-sigs:
			if code, exit := s.onSignal(sig); exit {
				return code
			}
		case <-ctx.Done():
			return 0
		}
	}
}

// sleepUntil waits until delay after the process start and reports whether
// it got there before ctx ended.
func (s *server) sleepUntil(ctx context.Context, delay time.Duration) bool {
	wait := s.start.Add(delay).Sub(s.now())
	if wait <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// timeline writes the -log and -stderr-log lines and requests the -exit at
// their times. Lines with the same delay keep their order, and the exit
// comes after every line due no later than it.
func (s *server) timeline(ctx context.Context) {
	logs := slices.Clone(s.cfg.logs)
	slices.SortStableFunc(logs, func(a, b logLine) int { return cmp.Compare(a.delay, b.delay) })
	exit := s.cfg.exit
	for _, l := range logs {
		if exit != nil && exit.delay < l.delay {
			break
		}
		if !s.sleepUntil(ctx, l.delay) {
			return
		}
		w, stream := s.out, "stdout"
		if l.stderr {
			w, stream = s.err, "stderr"
		}
		w.println(l.text)
		s.rec.add(Event{Kind: "log", Text: l.text, Stream: stream}, s.now())
	}
	if exit != nil && s.sleepUntil(ctx, exit.delay) {
		s.requestExit(exit.code)
	}
}

// listen opens a "tcp" or "http" listener at its time, announces it on
// stdout as "testserver: listening KIND PORT" and serves until ctx ends. A
// failed listen is reported on stderr and exits 1.
func (s *server) listen(ctx context.Context, kind string, l listenSpec) {
	if !s.sleepUntil(ctx, l.delay) {
		return
	}
	host := l.host
	if host == "" {
		host = "0.0.0.0"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(l.port)))
	if err != nil {
		s.err.println(fmt.Sprintf("testserver: listen %s: %v", kind, err))
		s.requestExit(1)
		return
	}
	at := s.now()
	port := ln.Addr().(*net.TCPAddr).Port
	s.rec.add(Event{Kind: kind, Port: port}, at)
	s.out.println(fmt.Sprintf("testserver: listening %s %d", kind, port))
	if kind == "http" {
		srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}
		stop := context.AfterFunc(ctx, func() { srv.Close() })
		defer stop()
		_ = srv.Serve(ln)
		return
	}
	s.serveTCP(ctx, ln)
}

// alloc allocates a.size bytes at its time, writes to every page so the
// memory is resident, logs "testserver: allocated N bytes" and keeps the
// memory until ctx ends.
func (s *server) alloc(ctx context.Context, a allocSpec) {
	if !s.sleepUntil(ctx, a.delay) {
		return
	}
	b := make([]byte, a.size)
	for i := 0; i < len(b); i += os.Getpagesize() {
		b[i] = 1
	}
	s.out.println(fmt.Sprintf("testserver: allocated %d bytes", len(b)))
	<-ctx.Done()
	runtime.KeepAlive(b)
}

// echoStdin writes "stdin: LINE" for each line of r, then
// "testserver: stdin closed" at its end.
func (s *server) echoStdin(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		s.out.println("stdin: " + sc.Text())
	}
	s.out.println("testserver: stdin closed")
}

// onSignal records and logs sig and reports whether serve mode should exit,
// with which code.
func (s *server) onSignal(sig os.Signal) (code int, exit bool) {
	name := signalName(sig)
	s.rec.addSignal(name)
	s.out.println("signal: " + name)
	switch {
	case s.cfg.exitOnSignal[name]:
		s.out.println("got " + name)
		return 0, true
	case name != "SIGTERM" && name != "SIGINT":
		return 0, false
	case s.cfg.ignoreTerm:
		s.out.println("ignoring " + name)
		return 0, false
	default:
		s.out.println("got " + name)
		return 0, true
	}
}
