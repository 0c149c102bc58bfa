package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Cgroup is the resource limits of the process's cgroup. Its fields are
// part of the /info report.
type Cgroup struct {
	// CgroupVersion is 2 for the unified hierarchy, 1 for v1, 0 if unknown.
	CgroupVersion int `json:"cgroup_version"`
	// MemoryLimitBytes is memory.max (v2) or memory.limit_in_bytes (v1):
	// -1 when unlimited, 0 when it cannot be read.
	MemoryLimitBytes int64 `json:"memory_limit_bytes"`
	// CPUQuota is the CPU limit in CPUs, QUOTA/PERIOD of cpu.max (v2) or
	// cpu.cfs_quota_us/cpu.cfs_period_us (v1), e.g. 1.5 for --cpus 1.5; 0
	// when unlimited or unreadable.
	CPUQuota float64 `json:"cpu_quota"`
	// CPUWeight is cpu.weight (v2 only; default 100, docker maps
	// --cpu-shares S to 1+((S-2)*9999)/262142); 0 when unreadable.
	CPUWeight int64 `json:"cpu_weight"`
	// CPUShares is cpu.shares (v1 only; default 1024); 0 when unreadable.
	CPUShares int64 `json:"cpu_shares"`
	// PidsLimit is pids.max: -1 when unlimited, 0 when unreadable.
	PidsLimit int64 `json:"pids_limit"`
}

// readCgroup reads the limits under root (normally /sys/fs/cgroup) for the
// process whose /proc/self/cgroup content is self. It looks in the
// process's own cgroup directory first and at the root of the hierarchy
// second, where a cgroup namespace or a v1 bind mount puts it.
func readCgroup(root, self string) Cgroup {
	paths := cgroupPaths(self)
	if _, err := os.Stat(filepath.Join(root, "cgroup.controllers")); err == nil {
		return readCgroup2(candidates(root, paths[""]))
	}
	if _, err := os.Stat(filepath.Join(root, "memory")); err == nil {
		return readCgroup1(func(controller string) []string {
			return candidates(filepath.Join(root, controller), paths[controller])
		})
	}
	return Cgroup{}
}

// readCgroup2 reads the v2 files from the first of dirs that has them.
func readCgroup2(dirs []string) Cgroup {
	c := Cgroup{CgroupVersion: 2}
	if s, ok := firstFile(dirs, "memory.max"); ok {
		c.MemoryLimitBytes = parseLimit(s)
	}
	if s, ok := firstFile(dirs, "cpu.max"); ok {
		if f := strings.Fields(s); len(f) == 2 {
			c.CPUQuota = ratio(f[0], f[1])
		}
	}
	if s, ok := firstFile(dirs, "cpu.weight"); ok {
		c.CPUWeight, _ = strconv.ParseInt(s, 10, 64)
	}
	if s, ok := firstFile(dirs, "pids.max"); ok {
		c.PidsLimit = parseLimit(s)
	}
	return c
}

// readCgroup1 reads the v1 files; dirs returns where to look for a
// controller.
func readCgroup1(dirs func(controller string) []string) Cgroup {
	c := Cgroup{CgroupVersion: 1}
	if s, ok := firstFile(dirs("memory"), "memory.limit_in_bytes"); ok {
		c.MemoryLimitBytes = parseLimit(s)
	}
	quota, okQ := firstFile(dirs("cpu"), "cpu.cfs_quota_us")
	period, okP := firstFile(dirs("cpu"), "cpu.cfs_period_us")
	if okQ && okP {
		c.CPUQuota = ratio(quota, period)
	}
	if s, ok := firstFile(dirs("cpu"), "cpu.shares"); ok {
		c.CPUShares, _ = strconv.ParseInt(s, 10, 64)
	}
	if s, ok := firstFile(dirs("pids"), "pids.max"); ok {
		c.PidsLimit = parseLimit(s)
	}
	return c
}

// cgroupPaths maps each controller of /proc/self/cgroup content to the
// process's path; the v2 entry ("0::/path") is under "".
func cgroupPaths(self string) map[string]string {
	paths := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(self))
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[1] == "" {
			paths[""] = f[2]
		}
		for c := range strings.SplitSeq(f[1], ",") {
			paths[c] = f[2]
		}
	}
	return paths
}

// candidates returns dir joined with the process's path, then dir itself.
func candidates(dir, path string) []string {
	if path == "" || path == "/" {
		return []string{dir}
	}
	return []string{filepath.Join(dir, path), dir}
}

// firstFile returns the trimmed content of name in the first of dirs that
// has it.
func firstFile(dirs []string, name string) (string, bool) {
	for _, d := range dirs {
		if b, err := os.ReadFile(filepath.Join(d, name)); err == nil {
			return strings.TrimSpace(string(b)), true
		}
	}
	return "", false
}

// parseLimit parses a byte or count limit: "max", and v1's page-rounded
// maximum, are -1; unreadable is 0.
func parseLimit(s string) int64 {
	if s == "max" {
		return -1
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	if n >= 1<<62 {
		return -1
	}
	return n
}

// ratio returns quota/period in CPUs, 0 for "max", "-1" or bad input.
func ratio(quota, period string) float64 {
	q, err1 := strconv.ParseFloat(quota, 64)
	p, err2 := strconv.ParseFloat(period, 64)
	if err1 != nil || err2 != nil || q <= 0 || p <= 0 {
		return 0
	}
	return q / p
}
