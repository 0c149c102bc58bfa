package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// proc is the program running as a subprocess.
type proc struct {
	cmd     *exec.Cmd
	started time.Time // before the process started
	out     *lineReader
	stderr  bytes.Buffer // read only after wait
}

// startProc starts bin with args and env added to the environment; the
// process is killed when the test ends if it is still running.
func startProc(t *testing.T, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), out: newLineReader(t)}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout = p.out.w
	p.cmd.Stderr = &p.stderr
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// wait waits (at most 10s) for the process to exit and returns its code
// and the stdout lines not read yet.
func (p *proc) wait(t *testing.T) (int, []line) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
		t.Fatalf("%q did not exit within 10s", p.cmd.Args)
	}
	return p.cmd.ProcessState.ExitCode(), p.out.rest(t)
}

// signal sends sig to the process.
func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// httpURL waits for the "listening http" line and returns the base URL.
func (p *proc) httpURL(t *testing.T) string {
	t.Helper()
	l, _ := p.out.waitFor(t, "testserver: listening http ")
	return "http://127.0.0.1:" + strings.TrimPrefix(l, "testserver: listening http ")
}

// texts returns the text of lines.
func texts(lines []line) []string {
	var s []string
	for _, l := range lines {
		s = append(s, l.text)
	}
	return s
}

// TestBinary builds the program as the image does and runs it.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	bin := filepath.Join(t.TempDir(), "testserver")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("logs in order after their delays", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "-log", "300ms=third", "-log", "0=first", "-stderr-log", "100ms=err",
			"-log", "100ms=second", "-log", "300ms=fourth", "-exit", "0@300ms")
		code, lines := p.wait(t)
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
		if want := []string{"first", "second", "third", "fourth"}; !reflect.DeepEqual(texts(lines), want) {
			t.Fatalf("stdout %q, want %q", texts(lines), want)
		}
		for i, min := range []time.Duration{0, 100 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond} {
			if got := lines[i].at.Sub(p.started); got < min {
				t.Errorf("%q read %v after start, want at least %v", lines[i].text, got, min)
			}
		}
		if p.stderr.String() != "err\n" {
			t.Errorf("stderr %q, want \"err\\n\"", p.stderr.String())
		}
	})

	t.Run("exit code", func(t *testing.T) {
		t.Parallel()
		if code, _ := startProc(t, bin, nil, "-exit", "7@10ms").wait(t); code != 7 {
			t.Errorf("exit code %d, want 7", code)
		}
	})

	t.Run("configured by the environment", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, []string{"TESTSERVER_LOG=0=one;0=two", "TESTSERVER_EXIT=3@0"})
		code, lines := p.wait(t)
		if code != 3 || !reflect.DeepEqual(texts(lines), []string{"one", "two"}) {
			t.Errorf("exit code %d, stdout %q; want 3, [one two]", code, texts(lines))
		}
	})

	t.Run("bad flag", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "serve", "-tcp", "nope")
		if code, _ := p.wait(t); code != 2 || !strings.Contains(p.stderr.String(), "-tcp") || !strings.Contains(p.stderr.String(), "PORT[@DELAY]") {
			t.Errorf("exit code %d, stderr %q; want 2 naming -tcp and PORT[@DELAY]", code, p.stderr.String())
		}
	})

	t.Run("subcommand", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "echo", "-stdout", "hi", "-stderr", "oops", "-code", "3")
		code, lines := p.wait(t)
		if code != 3 || !reflect.DeepEqual(texts(lines), []string{"hi"}) || p.stderr.String() != "oops\n" {
			t.Errorf("echo: code %d, stdout %q, stderr %q; want 3, [hi], \"oops\\n\"", code, texts(lines), p.stderr.String())
		}
	})

	t.Run("SIGTERM exits 0", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "-http", "0")
		p.httpURL(t)
		p.signal(t, syscall.SIGTERM)
		code, lines := p.wait(t)
		if want := []string{"signal: SIGTERM", "got SIGTERM"}; code != 0 || !reflect.DeepEqual(texts(lines), want) {
			t.Errorf("exit code %d, stdout %q; want 0, %q", code, texts(lines), want)
		}
	})

	t.Run("ignore SIGTERM", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "-http", "0", "-ignore-sigterm")
		url := p.httpURL(t)
		p.signal(t, syscall.SIGTERM)
		p.out.waitFor(t, "ignoring SIGTERM")
		var signals []string
		getJSON(t, url+"/signals", &signals)
		if !reflect.DeepEqual(signals, []string{"SIGTERM"}) {
			t.Errorf("/signals %q, want [SIGTERM]", signals)
		}
		if status, body := get(t, url+"/exit?code=5"); status != 200 || body != "exiting 5\n" {
			t.Errorf("/exit = %d %q", status, body)
		}
		if code, _ := p.wait(t); code != 5 {
			t.Errorf("exit code %d, want 5", code)
		}
	})

	t.Run("exit on SIGUSR1", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "-log", "0=up", "-exit-on-signal", "SIGUSR1")
		p.out.waitFor(t, "up")
		p.signal(t, syscall.SIGHUP)
		p.out.waitFor(t, "signal: SIGHUP")
		p.signal(t, syscall.SIGUSR1)
		code, lines := p.wait(t)
		if want := []string{"signal: SIGUSR1", "got SIGUSR1"}; code != 0 || !reflect.DeepEqual(texts(lines), want) {
			t.Errorf("exit code %d, stdout %q; want 0, %q", code, texts(lines), want)
		}
	})

	// Go raises its own soft nofile limit before main; info must report
	// the limit the process was started with, as docker --ulimit set it.
	t.Run("info reports the nofile soft limit from exec", func(t *testing.T) {
		t.Parallel()
		if _, err := exec.LookPath("sh"); err != nil {
			t.Skip("no sh to lower the limit with")
		}
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Max < 1024 {
			t.Skipf("hard nofile limit %d too low: %v", rl.Max, err)
		}
		p := startProc(t, "sh", nil, "-c", `ulimit -S -n 500 && exec "$0" info`, bin)
		code, lines := p.wait(t)
		var info Info
		if err := json.Unmarshal([]byte(strings.Join(texts(lines), "\n")), &info); code != 0 || err != nil {
			t.Fatalf("info: code %d, %v; stderr %s", code, err, p.stderr.String())
		}
		if got := info.Ulimits["nofile"]; got.Soft != 500 || got.Hard != int64(rl.Max) && rl.Max < 1<<62 {
			t.Errorf("nofile = %+v, want soft 500, hard %d", got, rl.Max)
		}
	})

	t.Run("readiness events", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, bin, nil, "-log", "0=starting", "-http", "0@50ms", "-healthy-after", "100ms")
		url := p.httpURL(t)
		var ready Ready
		getJSON(t, url+"/ready", &ready)
		if len(ready.Events) != 2 || ready.Events[0].Kind != "log" || ready.Events[1].Kind != "http" {
			t.Fatalf("/ready events %+v, want log then http", ready.Events)
		}
		if d := time.Duration(ready.Events[1].At - ready.StartedAtNS); d < 50*time.Millisecond {
			t.Errorf("http listener opened %v after start, want at least 50ms", d)
		}
		p.signal(t, syscall.SIGTERM)
		p.wait(t)
	})
}
