package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a clock for a server that started at start.
type fakeClock struct {
	start   time.Time
	elapsed atomic.Int64
}

func (c *fakeClock) now() time.Time            { return c.start.Add(time.Duration(c.elapsed.Load())) }
func (c *fakeClock) advance(d time.Duration)   { c.elapsed.Add(int64(d)) }
func (c *fakeClock) install(s *server) *server { s.now = c.now; return s }

// newTestHTTP serves the handler of a server for cfg, started at a fake
// clock's start, until the test ends.
func newTestHTTP(t *testing.T, cfg config) (*server, *fakeClock, string) {
	t.Helper()
	clock := &fakeClock{start: time.Unix(1700000000, 0)}
	s := clock.install(newServer(cfg, clock.start, io.Discard, io.Discard))
	ts := httptest.NewServer(s.handler())
	t.Cleanup(ts.Close)
	return s, clock, ts.URL
}

// get returns the status and body of a GET of url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// getJSON decodes the JSON body of a GET of url into v.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	status, body := get(t, url)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, status, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

func TestHandlerRoot(t *testing.T) {
	_, _, url := newTestHTTP(t, defaultConfig())
	if status, body := get(t, url+"/"); status != 200 || body != "testserver\n" {
		t.Errorf("GET / = %d %q, want 200 \"testserver\\n\"", status, body)
	}
	if status, _ := get(t, url+"/nothing"); status != 404 {
		t.Errorf("GET /nothing = %d, want 404", status)
	}
}

func TestHandlerHealth(t *testing.T) {
	cfg := defaultConfig()
	cfg.healthyAfter = 2 * time.Second
	s, clock, url := newTestHTTP(t, cfg)
	clock.advance(time.Second)
	if status, body := get(t, url+"/health"); status != 503 || body != "starting\n" {
		t.Errorf("GET /health before healthy = %d %q, want 503 \"starting\\n\"", status, body)
	}
	if events, _ := s.rec.snapshot(); len(events) != 0 {
		t.Errorf("events before healthy = %+v, want none", events)
	}
	clock.advance(time.Second)
	for range 2 {
		if status, _ := get(t, url+"/health"); status != 200 {
			t.Errorf("GET /health after healthy = %d, want 200", status)
		}
	}
	events, _ := s.rec.snapshot()
	want := []Event{{Kind: "health", Status: 200, At: clock.start.Add(2 * time.Second).UnixNano()}}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events = %+v, want one health event %+v", events, want)
	}
}

func TestHandlerHealthCustom(t *testing.T) {
	cfg := defaultConfig()
	cfg.healthPath = "/"
	cfg.healthStatus = 500
	s, _, url := newTestHTTP(t, cfg)
	if status, body := get(t, url+"/"); status != 500 || body != "Internal Server Error\n" {
		t.Errorf("GET / as health path = %d %q, want 500", status, body)
	}
	if status, _ := get(t, url+"/health"); status != 404 {
		t.Errorf("GET /health when the health path is / = %d, want 404", status)
	}
	if events, _ := s.rec.snapshot(); len(events) != 0 {
		t.Errorf("events = %+v, want no health event for a 500", events)
	}
}

func TestHandlerFile(t *testing.T) {
	_, _, url := newTestHTTP(t, defaultConfig())
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(path, []byte("content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query      string
		wantStatus int
		wantBody   string
	}{
		{query: "?path=" + path, wantStatus: 200, wantBody: "content\n"},
		{query: "?path=" + filepath.Join(dir, "missing"), wantStatus: 404},
		{query: "?path=" + dir, wantStatus: 400},
		{query: "", wantStatus: 400},
	}
	for _, tt := range tests {
		status, body := get(t, url+"/file"+tt.query)
		if status != tt.wantStatus || (tt.wantBody != "" && body != tt.wantBody) {
			t.Errorf("GET /file%s = %d %q, want %d %q", tt.query, status, body, tt.wantStatus, tt.wantBody)
		}
	}
}

func TestHandlerExit(t *testing.T) {
	s, _, url := newTestHTTP(t, defaultConfig())
	if status, _ := get(t, url+"/exit?code=300"); status != 400 {
		t.Errorf("GET /exit?code=300 = %d, want 400", status)
	}
	if status, body := get(t, url+"/exit?code=7"); status != 200 || body != "exiting 7\n" {
		t.Errorf("GET /exit?code=7 = %d %q, want 200 \"exiting 7\\n\"", status, body)
	}
	select {
	case code := <-s.exitc:
		if code != 7 {
			t.Errorf("exit requested with %d, want 7", code)
		}
	case <-time.After(5 * time.Second):
		t.Error("no exit requested after /exit")
	}
}

func TestHandlerReadyAndSignals(t *testing.T) {
	s, clock, url := newTestHTTP(t, defaultConfig())
	var ready Ready
	getJSON(t, url+"/ready", &ready)
	if ready.StartedAtNS != clock.start.UnixNano() || ready.Events == nil || len(ready.Events) != 0 {
		t.Errorf("/ready before events = %+v, want started_at_ns %d and an empty list", ready, clock.start.UnixNano())
	}
	var signals []string
	getJSON(t, url+"/signals", &signals)
	if signals == nil || len(signals) != 0 {
		t.Errorf("/signals before any = %#v, want []", signals)
	}

	s.rec.add(Event{Kind: "log", Text: "hello", Stream: "stdout"}, clock.start.Add(time.Second))
	s.rec.add(Event{Kind: "tcp", Port: 5000}, clock.start.Add(2*time.Second))
	s.onSignal(syscall.SIGHUP)
	s.onSignal(syscall.SIGUSR2)

	getJSON(t, url+"/ready", &ready)
	want := []Event{
		{Kind: "log", Text: "hello", Stream: "stdout", At: clock.start.Add(time.Second).UnixNano()},
		{Kind: "tcp", Port: 5000, At: clock.start.Add(2 * time.Second).UnixNano()},
	}
	if !reflect.DeepEqual(ready.Events, want) {
		t.Errorf("/ready events = %+v, want %+v", ready.Events, want)
	}
	getJSON(t, url+"/signals", &signals)
	if !reflect.DeepEqual(signals, []string{"SIGHUP", "SIGUSR2"}) {
		t.Errorf("/signals = %q, want [SIGHUP SIGUSR2]", signals)
	}
}

func TestHandlerEcho(t *testing.T) {
	_, _, url := newTestHTTP(t, defaultConfig())
	req, err := http.NewRequest("PUT", url+"/echo?a=1", strings.NewReader("payload"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test", "yes")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var echo Echo
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
		t.Fatal(err)
	}
	if echo.Method != "PUT" || echo.Path != "/echo" || echo.Query != "a=1" || echo.Body != "payload" ||
		!reflect.DeepEqual(echo.Headers["X-Test"], []string{"yes"}) {
		t.Errorf("/echo = %+v, want PUT /echo?a=1 with X-Test: yes and body payload", echo)
	}
}

func TestHandlerInfo(t *testing.T) {
	_, clock, url := newTestHTTP(t, defaultConfig())
	var info Info
	getJSON(t, url+"/info", &info)
	if info.PID != os.Getpid() || info.UID != os.Getuid() || !info.StartedAt.Equal(clock.start) {
		t.Errorf("/info pid %d uid %d started_at %v, want %d %d %v", info.PID, info.UID, info.StartedAt, os.Getpid(), os.Getuid(), clock.start)
	}
}
