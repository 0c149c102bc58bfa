package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// runCmd runs dispatch with args and returns the exit code and output.
func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = dispatch(time.Now(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSubcommands(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	sub, err := os.Stat(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	lsDir := fmt.Sprintf("f.txt 5 -rw-------\nsub %d %v\n", sub.Size(), sub.Mode())
	tests := []struct {
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string // contained in stderr
	}{
		{args: []string{"echo", "-stdout", "out", "-stderr", "err", "-code", "3"}, wantCode: 3, wantStdout: "out\n", wantStderr: "err\n"},
		{args: []string{"echo"}, wantCode: 0},
		{args: []string{"echo", "-stdout", ""}, wantStdout: "\n"},
		{args: []string{"echo", "-code", "x"}, wantCode: 2, wantStderr: "-code"},
		{args: []string{"echo", "stray"}, wantCode: 2, wantStderr: "unexpected argument"},
		{args: []string{"cat", file}, wantStdout: "hello"},
		{args: []string{"cat", filepath.Join(dir, "missing")}, wantCode: 1, wantStderr: "no such file"},
		{args: []string{"cat"}, wantCode: 2, wantStderr: "usage: testserver cat PATH"},
		{args: []string{"ls", dir}, wantStdout: lsDir},
		{args: []string{"ls", file}, wantStdout: "f.txt 5 -rw-------\n"},
		{args: []string{"ls", filepath.Join(dir, "missing")}, wantCode: 1, wantStderr: "ls:"},
		{args: []string{"write", filepath.Join(dir, "sub", "missing", "x"), "c"}, wantCode: 1, wantStderr: "write:"},
		{args: []string{"write", "only-path"}, wantCode: 2, wantStderr: "usage: testserver write PATH CONTENT"},
		{args: []string{"sleep", "1ms"}},
		{args: []string{"sleep", "forever"}, wantCode: 2, wantStderr: "DURATION"},
		{args: []string{"exit", "42"}, wantCode: 42},
		{args: []string{"exit", "256"}, wantCode: 2, wantStderr: "bad exit code"},
		{args: []string{"frobnicate"}, wantCode: 2, wantStderr: `unknown subcommand "frobnicate"`},
		{args: []string{"-log", "nope"}, wantCode: 2, wantStderr: "-log"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(tt.args...)
		if code != tt.wantCode || stdout != tt.wantStdout || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("testserver %q = %d, stdout %q, stderr %q; want %d, %q, stderr containing %q",
				tt.args, code, stdout, stderr, tt.wantCode, tt.wantStdout, tt.wantStderr)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"serve", "-h"}, {"-help"}} {
		code, stdout, _ := runCmd(args...)
		if code != 0 || !strings.HasPrefix(stdout, "usage: testserver") || !strings.Contains(stdout, "-healthy-after") {
			t.Errorf("testserver %q = %d, %q; want 0 and the usage", args, code, stdout)
		}
	}
}

func TestWriteCmd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	for _, content := range []string{"first version", "second"} {
		if code, _, stderr := runCmd("write", path, content); code != 0 {
			t.Fatalf("write = %d: %s", code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil || string(b) != content {
			t.Errorf("file = %q, %v; want %q", b, err, content)
		}
	}
	// 0644 less the umask.
	if st, err := os.Stat(path); err != nil || st.Mode().Perm()&^0o644 != 0 || st.Mode().Perm()&0o600 != 0o600 {
		t.Errorf("mode = %v, %v; want -rw-r--r-- less the umask", st.Mode().Perm(), err)
	}
}

func TestEnvAndIDCmd(t *testing.T) {
	t.Setenv("TESTSERVER_SUBCOMMAND_TEST", "a=b")
	code, stdout, _ := runCmd("env")
	if code != 0 || !slices.Contains(strings.Split(stdout, "\n"), "TESTSERVER_SUBCOMMAND_TEST=a=b") {
		t.Errorf("env = %d, %q; want the variable on its own line", code, stdout)
	}
	code, stdout, _ = runCmd("id")
	if code != 0 || !strings.HasPrefix(stdout, "uid=") || !strings.Contains(stdout, " gid=") || !strings.Contains(stdout, " groups=") {
		t.Errorf("id = %d, %q; want uid=N gid=N groups=...", code, stdout)
	}
}

func TestInfoCmd(t *testing.T) {
	code, stdout, stderr := runCmd("info")
	var info Info
	if code != 0 || json.Unmarshal([]byte(stdout), &info) != nil || info.PID != os.Getpid() {
		t.Errorf("info = %d, %q, %q; want the JSON report", code, stdout, stderr)
	}
}

func TestProbeCmd(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer ts.Close()
	if code, _, stderr := runCmd("probe", ts.URL+"/ok"); code != 0 {
		t.Errorf("probe of a 200 = %d, %q; want 0", code, stderr)
	}
	if code, _, stderr := runCmd("probe", ts.URL+"/bad"); code != 1 || !strings.Contains(stderr, "503") {
		t.Errorf("probe of a 503 = %d, %q; want 1 and the status", code, stderr)
	}
	ts.Close()
	if code, _, stderr := runCmd("probe", ts.URL); code != 1 || stderr == "" {
		t.Errorf("probe of a closed server = %d, %q; want 1 and a reason", code, stderr)
	}
	if code, _, _ := runCmd("probe"); code != 2 {
		t.Errorf("probe without URL = %d, want 2", code)
	}
}
