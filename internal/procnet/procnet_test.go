package procnet

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Lines as Linux prints them (x86-64): a listener on 0.0.0.0:5432, one on
// 127.0.0.1:8080, an established connection, and IPv6 listeners on
// [::]:9000 and [::1]:9001.
const (
	tcp4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 305969 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 305970 1 0000000000000000 100 0 0 10 0
   2: 0200A8C0:1538 0100A8C0:D431 01 00000000:00000000 00:00000000 00000000   106        0 305971 1 0000000000000000 20 4 30 10 -1
`
	tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:2329 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
`
)

func TestParseListeners(t *testing.T) {
	ls, err := ParseListeners(strings.NewReader(tcp4))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, l := range ls {
		got = append(got, l.String())
	}
	if want := "0.0.0.0:5432 127.0.0.1:8080"; strings.Join(got, " ") != want {
		t.Errorf("listeners %v, want %s", got, want)
	}
	if !ls[0].Reachable() || ls[1].Reachable() {
		t.Errorf("reachable: %v %v, want true false", ls[0].Reachable(), ls[1].Reachable())
	}

	ls, err = ParseListeners(strings.NewReader(tcp6))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].String() != "[::]:9000" || ls[1].String() != "[::1]:9001" {
		t.Fatalf("listeners %v, want [::]:9000 [::1]:9001", ls)
	}
	if !ls[0].Reachable() || ls[1].Reachable() {
		t.Errorf("reachable: %v %v, want true false", ls[0].Reachable(), ls[1].Reachable())
	}
}

func TestParseListenersBadInput(t *testing.T) {
	for _, line := range []string{
		"0: 0100007F 00000000:0000 0A",
		"0: 0100007F:XYZ 00000000:0000 0A",
		"0: 01007F:1F90 00000000:0000 0A",
		"0: GG00007F:1F90 00000000:0000 0A",
	} {
		if _, err := ParseListeners(strings.NewReader(line)); err == nil {
			t.Errorf("%q: no error", line)
		}
	}
}

// A fake procfs: the process's cgroup names the container, and its
// network namespace has the tables above.
func fakeProc(t *testing.T, pid, cgroup string, files map[string]string) Proc {
	root := t.TempDir()
	dir := filepath.Join(root, pid)
	if err := os.MkdirAll(filepath.Join(dir, "net"), 0o755); err != nil {
		t.Fatal(err)
	}
	files["cgroup"] = cgroup
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Proc{Root: root}
}

func TestProc(t *testing.T) {
	id := "10424cfa3730d27b3afcde97c7bfa333f53529552ee6158929ba4560bec97bf2"
	p := fakeProc(t, "42", "0::/system.slice/docker-"+id+".scope\n", map[string]string{"net/tcp": tcp4, "net/tcp6": tcp6})
	if !p.Owns(42, id) {
		t.Error("Owns(42) = false for the container's process")
	}
	for _, c := range []struct {
		pid int
		id  string
	}{{42, strings.Repeat("0", 64)}, {43, id}, {0, id}, {42, "short"}} {
		if p.Owns(c.pid, c.id) {
			t.Errorf("Owns(%d, %.12s) = true", c.pid, c.id)
		}
	}
	ls, err := p.Listeners(42)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 4 {
		t.Errorf("listeners %v, want 4", ls)
	}
	if _, err := p.Listeners(43); err == nil {
		t.Error("Listeners of a missing process: no error")
	}

	// No IPv6: the IPv4 table alone.
	p = fakeProc(t, "7", id, map[string]string{"net/tcp": tcp4})
	if ls, err := p.Listeners(7); err != nil || len(ls) != 2 {
		t.Errorf("IPv4 only: %v, %v", ls, err)
	}
}

// This process's own listener, read from the real /proc.
func TestProcSelf(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	l := ln.Addr().(*net.TCPAddr).AddrPort()
	ls, err := Proc{}.Listeners(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ls {
		if x.Port == l.Port() && x.Addr.Unmap() == netip.MustParseAddr("127.0.0.1") {
			return
		}
	}
	t.Errorf("listener on %v not among %v", l, ls)
}

// sock_diag from inside this process's own network namespace finds the
// same listener as the /proc files, and much sooner.
func TestDiagSelf(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	want := Listener{Addr: netip.MustParseAddr("127.0.0.1"), Port: uint16(ln.Addr().(*net.TCPAddr).Port)}
	t0 := time.Now()
	ls, err := diagListeners(Proc{}.path(os.Getpid(), "ns/net"))
	took := time.Since(t0)
	if err != nil {
		t.Fatalf("sock_diag (needs root, as the fixture tests do): %v", err)
	}
	if !slices.Contains(ls, want) {
		t.Errorf("sock_diag: %v not among %v", want, ls)
	}
	files, err := Proc{}.fileListeners(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(files, want) {
		t.Errorf("/proc: %v not among %v", want, files)
	}
	t.Logf("sock_diag took %v", took)
}
