package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
)

// handler returns the HTTP handler served on every -http port.
func (s *server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == s.cfg.healthPath {
			s.health(w)
			return
		}
		switch r.URL.Path {
		case "/":
			writeText(w, http.StatusOK, "testserver\n")
		case "/info":
			writeJSON(w, collectInfo(s.start))
		case "/file":
			serveFile(w, r.URL.Query().Get("path"))
		case "/exit":
			s.exitHandler(w, r)
		case "/ready":
			events, _ := s.rec.snapshot()
			writeJSON(w, Ready{StartedAtNS: s.start.UnixNano(), Events: events})
		case "/signals":
			_, signals := s.rec.snapshot()
			writeJSON(w, signals)
		case "/echo":
			echoRequest(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// health answers -health-status once -healthy-after has passed since start
// and 503 "starting" before. The first 2xx answer is a readiness event.
func (s *server) health(w http.ResponseWriter) {
	if s.now().Sub(s.start) < s.cfg.healthyAfter {
		writeText(w, http.StatusServiceUnavailable, "starting\n")
		return
	}
	status := s.cfg.healthStatus
	writeText(w, status, http.StatusText(status)+"\n")
	if status >= 200 && status < 300 {
		s.rec.addHealth(status, s.now())
	}
}

// serveFile writes the file at path: 404 when it does not exist, 403 when
// it may not be read, 400 for a directory or no path.
func serveFile(w http.ResponseWriter, path string) {
	if path == "" {
		writeText(w, http.StatusBadRequest, "missing ?path=\n")
		return
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		writeText(w, http.StatusNotFound, err.Error()+"\n")
	case errors.Is(err, fs.ErrPermission):
		writeText(w, http.StatusForbidden, err.Error()+"\n")
	case err != nil:
		writeText(w, http.StatusBadRequest, err.Error()+"\n")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(b)
	}
}

// exitHandler answers 200 "exiting N", closes the connection and only then
// asks the server to exit with code N, so the client always gets the reply.
func (s *server) exitHandler(w http.ResponseWriter, r *http.Request) {
	code, err := parseExitCode(r.URL.Query().Get("code"))
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	body := fmt.Sprintf("exiting %d\n", code)
	defer s.requestExit(code)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.Header().Set("Connection", "close")
		writeText(w, http.StatusOK, body)
		_ = http.NewResponseController(w).Flush()
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	_ = buf.Flush()
}

// Echo is the /echo report: the request as the server saw it.
type Echo struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   string              `json:"query"`
	Host    string              `json:"host"`
	Headers map[string][]string `json:"headers"`
	Body    string              `json:"body"`
}

// echoRequest answers with the request's method, headers and body as JSON.
func echoRequest(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	writeJSON(w, Echo{
		Method:  r.Method,
		Path:    r.URL.Path,
		Query:   r.URL.RawQuery,
		Host:    r.Host,
		Headers: r.Header,
		Body:    string(body),
	})
}

// writeText answers status with a plain-text body.
func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// writeJSON answers 200 with v as indented JSON.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeText(w, http.StatusInternalServerError, err.Error()+"\n")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}
