package main

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Info is the /info report (also printed by the info subcommand): what a
// test checks from inside the container. A value that cannot be read is
// left at its zero value unless its field says otherwise.
type Info struct {
	// Env is the environment, NAME to value.
	Env map[string]string `json:"env"`
	// Args is the command line, starting with the program name.
	Args []string `json:"args"`
	// PID and PPID are the process and parent ids; PID is 1 when run as a
	// container's entrypoint.
	PID  int `json:"pid"`
	PPID int `json:"ppid"`
	// UID and GID are the real user and group ids.
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Groups are the supplementary group ids (getgroups); never null.
	Groups []int `json:"groups"`
	// Username is the name of UID in /etc/passwd, "" without one.
	Username string `json:"username"`
	// Hostname is the kernel hostname.
	Hostname string `json:"hostname"`
	// Cwd is the working directory.
	Cwd string `json:"cwd"`
	// Hosts is the content of /etc/hosts, "" without one.
	Hosts string `json:"hosts"`
	// Mounts are the mounts of /proc/self/mountinfo in its order.
	Mounts []Mount `json:"mounts"`
	// RootReadOnly reports a read-only root: creating a file in / failed
	// with EROFS, or the mount at "/" is read-only.
	RootReadOnly bool `json:"root_read_only"`
	// RootWriteError is why creating a file in / failed, "" if it worked
	// (the file is removed again).
	RootWriteError string `json:"root_write_error"`
	Cgroup
	// Capabilities are the capability sets of the process.
	Capabilities Capabilities `json:"capabilities"`
	// NoNewPrivs is the NoNewPrivs flag of /proc/self/status.
	NoNewPrivs bool `json:"no_new_privs"`
	// Seccomp is the Seccomp mode of /proc/self/status: 0 disabled,
	// 1 strict, 2 filter.
	Seccomp int `json:"seccomp"`
	// AppArmor is /proc/self/attr/current without its trailing newline,
	// e.g. "docker-default (enforce)"; "" if unreadable.
	AppArmor string `json:"apparmor"`
	// StdinTTY and StdoutTTY report whether fd 0 and fd 1 are terminals.
	StdinTTY  bool `json:"stdin_tty"`
	StdoutTTY bool `json:"stdout_tty"`
	// StdinOpen reports whether fd 0 is open and is not /dev/null (docker
	// run -i gives a pipe, -t the terminal, neither /dev/null).
	StdinOpen bool `json:"stdin_open"`
	// Ulimits are resource limits by name ("nofile", "nproc", "core",
	// "stack", "memlock" where the platform has them). The nofile soft
	// limit is the one the process got from exec (docker --ulimit), not
	// the one the Go runtime raised it to.
	Ulimits map[string]Ulimit `json:"ulimits"`
	// StartedAt is the process start time.
	StartedAt time.Time `json:"started_at"`
}

// Mount is one line of /proc/self/mountinfo.
type Mount struct {
	// MountPoint is where it is mounted, e.g. "/data".
	MountPoint string `json:"mount_point"`
	// Root is the directory of the file system mounted there; for a bind
	// mount, the bound directory.
	Root string `json:"root"`
	// FSType is the file system type, e.g. "overlay", "tmpfs".
	FSType string `json:"fs_type"`
	// Source is the mount source, e.g. "/dev/sda1", "tmpfs".
	Source string `json:"source"`
	// Options are the per-mount options, e.g. ["ro", "nosuid"].
	Options []string `json:"options"`
	// SuperOptions are the per-file-system options, e.g. ["rw", "size=65536k"].
	SuperOptions []string `json:"super_options"`
	// ReadOnly reports "ro" among Options.
	ReadOnly bool `json:"read_only"`
}

// Capabilities are the capability sets of /proc/self/status.
type Capabilities struct {
	// Effective, Permitted and Bounding are CapEff, CapPrm and CapBnd as
	// the kernel writes them: 16 hex digits.
	Effective string `json:"effective"`
	Permitted string `json:"permitted"`
	Bounding  string `json:"bounding"`
	// EffectiveNames and BoundingNames decode Effective and Bounding, e.g.
	// "CAP_NET_ADMIN", in bit order; an unknown bit N is "CAP_N". Never
	// null.
	EffectiveNames []string `json:"effective_names"`
	BoundingNames  []string `json:"bounding_names"`
}

// Ulimit is one resource limit; -1 stands for unlimited.
type Ulimit struct {
	Soft int64 `json:"soft"`
	Hard int64 `json:"hard"`
}

// collectInfo builds the report for this process, which started at start.
func collectInfo(start time.Time) Info {
	info := Info{
		Env:       environ(),
		Args:      os.Args,
		PID:       os.Getpid(),
		PPID:      os.Getppid(),
		UID:       os.Getuid(),
		GID:       os.Getgid(),
		Groups:    []int{},
		StdinTTY:  isTerminal(0),
		StdoutTTY: isTerminal(1),
		StdinOpen: stdinOpen(),
		Ulimits:   ulimits(),
		StartedAt: start,
		Cgroup:    readCgroup("/sys/fs/cgroup", readFile("/proc/self/cgroup")),
	}
	if g, err := os.Getgroups(); err == nil && g != nil {
		info.Groups = g
	}
	info.Username = lookupUser(readFile("/etc/passwd"), info.UID)
	info.Hostname, _ = os.Hostname()
	info.Cwd, _ = os.Getwd()
	info.Hosts = readFile("/etc/hosts")
	info.Mounts = parseMountinfo(readFile("/proc/self/mountinfo"))
	info.RootWriteError, info.RootReadOnly = probeRootWrite()
	for _, m := range info.Mounts {
		if m.MountPoint == "/" && m.ReadOnly {
			info.RootReadOnly = true
		}
	}
	st := parseStatus(readFile("/proc/self/status"))
	info.Capabilities = st.caps
	info.NoNewPrivs = st.noNewPrivs
	info.Seccomp = st.seccomp
	info.AppArmor = strings.TrimRight(strings.TrimRight(readFile("/proc/self/attr/current"), "\n"), "\x00")
	return info
}

// readFile returns the content of path, "" if it cannot be read.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// environ returns the environment as a map.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

// lookupUser returns the name of uid in passwd (the content of
// /etc/passwd), "" if it is not there.
func lookupUser(passwd string, uid int) string {
	sc := bufio.NewScanner(strings.NewReader(passwd))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 {
			continue
		}
		if id, err := strconv.Atoi(f[2]); err == nil && id == uid {
			return f[0]
		}
	}
	return ""
}

// probeRootWrite tries to create (and remove) a file in / and returns why
// it failed, "" if it worked, and whether it failed with EROFS.
func probeRootWrite() (failure string, readOnly bool) {
	f, err := os.CreateTemp("/", ".testserver-probe-*")
	if err != nil {
		return err.Error(), errors.Is(err, syscall.EROFS)
	}
	f.Close()
	os.Remove(f.Name())
	return "", false
}

// stdinOpen reports whether fd 0 is open and is not /dev/null.
func stdinOpen() bool {
	in, err := os.Stdin.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(in, null)
}
