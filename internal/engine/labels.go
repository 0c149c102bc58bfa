package engine

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Labels that testdock puts on every container, network and volume it
// creates. Cleanup and sweeping only ever touch resources that carry
// LabelSession.
const (
	// LabelSession names the test run: TESTDOCK_SESSION, or one random
	// value per process.
	LabelSession = "testdock.session"
	// LabelOwner names the process that created the resource, as
	// "hostname:pid:starttime", so a later run can tell that it died.
	LabelOwner = "testdock.owner"
	// LabelSpec is a hash of the fixture's Spec.
	LabelSpec = "testdock.spec"
)

var processSession = sync.OnceValue(func() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
})

// Session returns this process's session: TESTDOCK_SESSION when set, or
// a random value chosen once per process.
func Session(cfg Config) string {
	if cfg.Session != "" {
		return cfg.Session
	}
	return processSession()
}

// Owner is the owner label of this process.
var Owner = sync.OnceValue(func() string {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return fmt.Sprintf("%s:%d:%d", host, pid, processStart(pid))
})

// processStart returns the start time of a process in clock ticks since
// boot (field 22 of /proc/PID/stat), or 0 when it is unknown.
func processStart(pid int) uint64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	// The command name (field 2) may hold spaces and parentheses: skip to
	// the last ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	// fields[0] is field 3 (state); field 22 is fields[19].
	if len(fields) < 20 {
		return 0
	}
	v, _ := strconv.ParseUint(fields[19], 10, 64)
	return v
}

// OwnerAlive reports whether the process named by an owner label still
// runs. An owner on another host is assumed alive: it is not ours to judge.
func OwnerAlive(owner string) bool {
	parts := strings.Split(owner, ":")
	if len(parts) != 3 {
		return true
	}
	host, _ := os.Hostname()
	if parts[0] != host {
		return true
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil {
		return true
	}
	start, err := strconv.ParseUint(parts[2], 10, 64)
	if err != nil {
		return true
	}
	now := processStart(pid)
	if now == 0 {
		return false // no such process
	}
	return start == 0 || now == start
}
