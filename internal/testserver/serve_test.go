package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lineReader collects the lines written to a pipe, without limit, and
// hands them out in order, so a test can wait for a line without sleeping.
type lineReader struct {
	w     *io.PipeWriter
	mu    sync.Mutex
	lines []line        // read, not yet handed out
	more  chan struct{} // signalled when lines grows; buffered
	eof   chan struct{} // closed when the pipe ended
}

// line is a line read and when it was read.
type line struct {
	text string
	at   time.Time
}

// newLineReader returns a lineReader; the pipe is closed when the test
// ends, so writers blocked on it return.
func newLineReader(t *testing.T) *lineReader {
	r, w := io.Pipe()
	lr := &lineReader{w: w, more: make(chan struct{}, 1), eof: make(chan struct{})}
	go func() {
		defer close(lr.eof)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lr.mu.Lock()
			lr.lines = append(lr.lines, line{text: sc.Text(), at: time.Now()})
			lr.mu.Unlock()
			select {
			case lr.more <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		r.Close()
		w.Close()
	})
	return lr
}

// next returns the next line, false when the pipe ended and every line was
// handed out, failing the test when there is none within 10s.
func (lr *lineReader) next(t *testing.T) (line, bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		lr.mu.Lock()
		if len(lr.lines) > 0 {
			l := lr.lines[0]
			lr.lines = lr.lines[1:]
			lr.mu.Unlock()
			return l, true
		}
		lr.mu.Unlock()
		select {
		case <-lr.more:
		case <-lr.eof:
			lr.mu.Lock()
			n := len(lr.lines)
			lr.mu.Unlock()
			if n == 0 {
				return line{}, false
			}
		case <-timeout:
			t.Fatal("no output line within 10s")
		}
	}
}

// waitFor returns the first line with prefix, failing the test after 10s
// or when the pipe ends; it returns the lines skipped too.
func (lr *lineReader) waitFor(t *testing.T, prefix string) (text string, skipped []string) {
	t.Helper()
	for {
		l, ok := lr.next(t)
		if !ok {
			t.Fatalf("output ended before a line starting %q; got %q", prefix, skipped)
		}
		if strings.HasPrefix(l.text, prefix) {
			return l.text, skipped
		}
		skipped = append(skipped, l.text)
	}
}

// rest closes the writer and returns the lines not yet handed out.
func (lr *lineReader) rest(t *testing.T) []line {
	t.Helper()
	lr.w.Close()
	var lines []line
	for {
		l, ok := lr.next(t)
		if !ok {
			return lines
		}
		lines = append(lines, l)
	}
}

// runServer runs a server for cfg in the background and returns it, its
// stdout and a channel with run's result.
func runServer(t *testing.T, ctx context.Context, cfg config, sigs chan os.Signal, stdin io.Reader) (*server, *lineReader, <-chan int) {
	t.Helper()
	out := newLineReader(t)
	s := newServer(cfg, time.Now(), out.w, io.Discard)
	done := make(chan int, 1)
	go func() { done <- s.run(ctx, sigs, stdin) }()
	return s, out, done
}

// result waits for run's exit code.
func result(t *testing.T, done <-chan int) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10s")
		return 0
	}
}

func TestTimelineOrder(t *testing.T) {
	var out, errOut bytes.Buffer
	cfg := defaultConfig()
	cfg.logs = []logLine{
		{delay: time.Second, text: "a"},
		{text: "b"},
		{delay: time.Second, text: "c"},
		{delay: 500 * time.Millisecond, text: "d", stderr: true},
		{text: "e"},
	}
	s := newServer(cfg, time.Now().Add(-time.Hour), &out, &errOut)
	s.timeline(t.Context())
	if got, want := out.String(), "b\ne\na\nc\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := errOut.String(), "d\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	events, _ := s.rec.snapshot()
	var texts []string
	for _, e := range events {
		texts = append(texts, e.Stream+":"+e.Text)
	}
	if want := []string{"stdout:b", "stdout:e", "stderr:d", "stdout:a", "stdout:c"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("log events = %q, want %q", texts, want)
	}
}

func TestTimelineTiming(t *testing.T) {
	cfg := defaultConfig()
	cfg.logs = []logLine{{delay: 30 * time.Millisecond, text: "late"}, {text: "early"}}
	start := time.Now()
	s := newServer(cfg, start, io.Discard, io.Discard)
	s.timeline(t.Context())
	events, _ := s.rec.snapshot()
	if len(events) != 2 || events[0].Text != "early" || events[1].Text != "late" {
		t.Fatalf("events = %+v, want early then late", events)
	}
	if at := time.Unix(0, events[1].At); at.Sub(start) < 30*time.Millisecond {
		t.Errorf("late written %v after start, want at least 30ms", at.Sub(start))
	}
}

func TestTimelineExitAfterLogs(t *testing.T) {
	var out bytes.Buffer
	cfg := defaultConfig()
	cfg.logs = []logLine{{delay: time.Second, text: "too late"}, {text: "a"}, {delay: 10 * time.Millisecond, text: "b"}}
	cfg.exit = &exitSpec{code: 4, delay: 10 * time.Millisecond}
	s := newServer(cfg, time.Now(), &out, io.Discard)
	s.timeline(t.Context())
	if got, want := out.String(), "a\nb\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	select {
	case code := <-s.exitc:
		if code != 4 {
			t.Errorf("exit code = %d, want 4", code)
		}
	default:
		t.Error("no exit requested")
	}
}

func TestRunExit(t *testing.T) {
	cfg := defaultConfig()
	cfg.exit = &exitSpec{code: 3, delay: 10 * time.Millisecond}
	_, _, done := runServer(t, t.Context(), cfg, nil, nil)
	if code := result(t, done); code != 3 {
		t.Errorf("run = %d, want 3", code)
	}
}

func TestRunTCP(t *testing.T) {
	cfg := defaultConfig()
	cfg.tcp = []listenSpec{{}}
	cfg.greeting = "hello"
	ctx, cancel := context.WithCancel(t.Context())
	s, out, done := runServer(t, ctx, cfg, nil, nil)
	line, _ := out.waitFor(t, "testserver: listening tcp ")
	var port int
	if _, err := fmt.Sscanf(line, "testserver: listening tcp %d", &port); err != nil || port == 0 {
		t.Fatalf("listen line %q: %v", line, err)
	}
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	if got, err := r.ReadString('\n'); err != nil || got != "hello\n" {
		t.Errorf("greeting = %q, %v; want \"hello\\n\"", got, err)
	}
	for _, msg := range []string{"ping", "pong"} {
		fmt.Fprintf(conn, "%s\n", msg)
		if got, err := r.ReadString('\n'); err != nil || got != msg+"\n" {
			t.Errorf("echo of %q = %q, %v", msg, got, err)
		}
	}
	events, _ := s.rec.snapshot()
	if len(events) != 1 || events[0].Kind != "tcp" || events[0].Port != port {
		t.Errorf("events = %+v, want one tcp event for port %d", events, port)
	}
	cancel()
	if code := result(t, done); code != 0 {
		t.Errorf("run after cancel = %d, want 0", code)
	}
	// run closed the open connection before returning.
	if _, err := r.ReadString('\n'); err == nil {
		t.Error("connection still open after run returned")
	}
}

func TestRunHTTP(t *testing.T) {
	cfg := defaultConfig()
	cfg.http = []listenSpec{{}}
	cfg.logs = []logLine{{text: "up"}}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, out, done := runServer(t, ctx, cfg, nil, nil)
	line, _ := out.waitFor(t, "testserver: listening http ")
	url := "http://127.0.0.1:" + strings.TrimPrefix(line, "testserver: listening http ")
	var ready Ready
	getJSON(t, url+"/ready", &ready)
	kinds := map[string]bool{}
	for _, e := range ready.Events {
		kinds[e.Kind] = true
	}
	if !kinds["http"] || !kinds["log"] {
		t.Errorf("/ready events = %+v, want an http and a log event", ready.Events)
	}
	if status, _ := get(t, url+"/exit?code=9"); status != 200 {
		t.Errorf("/exit = %d, want 200", status)
	}
	if code := result(t, done); code != 9 {
		t.Errorf("run after /exit?code=9 = %d, want 9", code)
	}
}

func TestRunListenFailure(t *testing.T) {
	busy, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := defaultConfig()
	cfg.http = []listenSpec{{port: busy.Addr().(*net.TCPAddr).Port}}
	var errOut bytes.Buffer
	s := newServer(cfg, time.Now(), io.Discard, &errOut)
	if code := s.run(t.Context(), nil, nil); code != 1 {
		t.Errorf("run with a busy port = %d, want 1", code)
	}
	if !strings.Contains(errOut.String(), "testserver: listen http") {
		t.Errorf("stderr = %q, want the listen error", errOut.String())
	}
}

func TestRunSignals(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	_, out, done := runServer(t, t.Context(), defaultConfig(), sigs, nil)
	sigs <- syscall.SIGHUP
	out.waitFor(t, "signal: SIGHUP")
	sigs <- syscall.SIGTERM
	out.waitFor(t, "signal: SIGTERM")
	out.waitFor(t, "got SIGTERM")
	if code := result(t, done); code != 0 {
		t.Errorf("run after SIGTERM = %d, want 0", code)
	}
}

func TestOnSignal(t *testing.T) {
	tests := []struct {
		name      string
		cfg       func(*config)
		sig       syscall.Signal
		wantLines string
		wantExit  bool
	}{
		{name: "SIGTERM exits", sig: syscall.SIGTERM, wantLines: "signal: SIGTERM\ngot SIGTERM\n", wantExit: true},
		{name: "SIGINT exits", sig: syscall.SIGINT, wantLines: "signal: SIGINT\ngot SIGINT\n", wantExit: true},
		{name: "SIGHUP is logged", sig: syscall.SIGHUP, wantLines: "signal: SIGHUP\n"},
		{name: "SIGQUIT is logged", sig: syscall.SIGQUIT, wantLines: "signal: SIGQUIT\n"},
		{
			name: "ignore SIGTERM", sig: syscall.SIGTERM, cfg: func(c *config) { c.ignoreTerm = true },
			wantLines: "signal: SIGTERM\nignoring SIGTERM\n",
		},
		{
			name: "ignore SIGINT", sig: syscall.SIGINT, cfg: func(c *config) { c.ignoreTerm = true },
			wantLines: "signal: SIGINT\nignoring SIGINT\n",
		},
		{
			name: "exit on SIGUSR1", sig: syscall.SIGUSR1, cfg: func(c *config) { c.exitOnSignal["SIGUSR1"] = true },
			wantLines: "signal: SIGUSR1\ngot SIGUSR1\n", wantExit: true,
		},
		{
			name: "exit-on-signal wins over ignore", sig: syscall.SIGTERM,
			cfg:       func(c *config) { c.ignoreTerm = true; c.exitOnSignal["SIGTERM"] = true },
			wantLines: "signal: SIGTERM\ngot SIGTERM\n", wantExit: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			var out bytes.Buffer
			s := newServer(cfg, time.Now(), &out, io.Discard)
			code, exit := s.onSignal(tt.sig)
			if exit != tt.wantExit || code != 0 {
				t.Errorf("onSignal = %d, %v; want 0, %v", code, exit, tt.wantExit)
			}
			if out.String() != tt.wantLines {
				t.Errorf("stdout = %q, want %q", out.String(), tt.wantLines)
			}
			if _, signals := s.rec.snapshot(); !reflect.DeepEqual(signals, []string{signalName(tt.sig)}) {
				t.Errorf("signals recorded = %q, want [%s]", signals, signalName(tt.sig))
			}
		})
	}
}

func TestRunStdinEcho(t *testing.T) {
	cfg := defaultConfig()
	cfg.stdinEcho = true
	ctx, cancel := context.WithCancel(t.Context())
	_, out, done := runServer(t, ctx, cfg, nil, strings.NewReader("one\ntwo\n"))
	_, skipped := out.waitFor(t, "testserver: stdin closed")
	if want := []string{"stdin: one", "stdin: two"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("stdout before stdin closed = %q, want %q", skipped, want)
	}
	cancel()
	result(t, done)
}

func TestRunAlloc(t *testing.T) {
	cfg := defaultConfig()
	cfg.allocs = []allocSpec{{size: 1 << 20}}
	ctx, cancel := context.WithCancel(t.Context())
	_, out, done := runServer(t, ctx, cfg, nil, nil)
	out.waitFor(t, "testserver: allocated 1048576 bytes")
	cancel()
	result(t, done)
}
