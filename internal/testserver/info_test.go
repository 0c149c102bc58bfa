package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestCollectInfo runs on the host: it checks that every field is filled
// with a value of the right kind, not host-specific values.
func TestCollectInfo(t *testing.T) {
	start := time.Now()
	info := collectInfo(start)
	if info.PID != os.Getpid() || info.UID != os.Getuid() || info.GID != os.Getgid() {
		t.Errorf("pid/uid/gid = %d/%d/%d, want this process's", info.PID, info.UID, info.GID)
	}
	if info.Env == nil || info.Groups == nil || info.Ulimits == nil || info.Mounts == nil {
		t.Errorf("env, groups, ulimits and mounts must not be nil: %+v", info)
	}
	if !reflect.DeepEqual(info.Args, os.Args) {
		t.Errorf("args = %q, want %q", info.Args, os.Args)
	}
	if cwd, _ := os.Getwd(); info.Cwd != cwd {
		t.Errorf("cwd = %q, want %q", info.Cwd, cwd)
	}
	if _, ok := info.Ulimits["nofile"]; !ok {
		t.Errorf("ulimits = %v, want nofile", info.Ulimits)
	}
	if info.Capabilities.EffectiveNames == nil || info.Capabilities.BoundingNames == nil {
		t.Errorf("capability names must not be nil: %+v", info.Capabilities)
	}
	if !info.StartedAt.Equal(start) {
		t.Errorf("started_at = %v, want %v", info.StartedAt, start)
	}
	if _, err := os.Stat("/proc/self/mountinfo"); err == nil && len(info.Mounts) == 0 {
		t.Error("no mounts although /proc/self/mountinfo exists")
	}

	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"env", "args", "pid", "ppid", "uid", "gid", "groups", "username", "hostname", "cwd", "hosts",
		"mounts", "root_read_only", "root_write_error", "cgroup_version", "memory_limit_bytes",
		"cpu_quota", "cpu_weight", "cpu_shares", "pids_limit", "capabilities", "no_new_privs",
		"seccomp", "apparmor", "stdin_tty", "stdout_tty", "stdin_open", "ulimits", "started_at",
	} {
		if _, ok := fields[name]; !ok {
			t.Errorf("JSON has no field %q", name)
		}
	}
}

func TestParseMountinfo(t *testing.T) {
	content := `22 1 0:21 / / ro,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u
23 22 0:5 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
36 22 8:1 /home/me/my\040dir /data rw,noatime master:1 shared:2 - ext4 /dev/sda1 rw,errors=remount-ro
garbage line
`
	want := []Mount{
		{MountPoint: "/", Root: "/", FSType: "overlay", Source: "overlay", Options: []string{"ro", "relatime"},
			SuperOptions: []string{"rw", "lowerdir=/l", "upperdir=/u"}, ReadOnly: true},
		{MountPoint: "/proc", Root: "/", FSType: "proc", Source: "proc", Options: []string{"rw", "nosuid", "nodev", "noexec", "relatime"},
			SuperOptions: []string{"rw"}},
		{MountPoint: "/data", Root: "/home/me/my dir", FSType: "ext4", Source: "/dev/sda1", Options: []string{"rw", "noatime"},
			SuperOptions: []string{"rw", "errors=remount-ro"}},
	}
	if got := parseMountinfo(content); !reflect.DeepEqual(got, want) {
		t.Errorf("parseMountinfo =\n%+v\nwant\n%+v", got, want)
	}
	if got := parseMountinfo(""); got == nil || len(got) != 0 {
		t.Errorf("parseMountinfo(\"\") = %#v, want an empty list", got)
	}
}

func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{`a\040b`: "a b", `tab\011`: "tab\t", `back\134slash`: `back\slash`, `end\04`: `end\04`, `plain`: "plain"} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseStatus(t *testing.T) {
	content := `Name:	testserver
CapInh:	0000000000000000
CapPrm:	00000000a80425fb
CapEff:	0000000000003000
CapBnd:	00000000a80425fb
NoNewPrivs:	1
Seccomp:	2
`
	st := parseStatus(content)
	want := procStatus{
		caps: Capabilities{
			Effective: "0000000000003000", Permitted: "00000000a80425fb", Bounding: "00000000a80425fb",
			EffectiveNames: []string{"CAP_NET_ADMIN", "CAP_NET_RAW"},
			BoundingNames: []string{"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
				"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
				"CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"},
		},
		noNewPrivs: true,
		seccomp:    2,
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("parseStatus =\n%+v\nwant\n%+v", st, want)
	}
}

func TestCapNames(t *testing.T) {
	if got := capNames("0000000000000000"); got == nil || len(got) != 0 {
		t.Errorf("capNames(0) = %#v, want an empty list", got)
	}
	if got, want := capNames("0000060000000001"), []string{"CAP_CHOWN", "CAP_41", "CAP_42"}; !reflect.DeepEqual(got, want) {
		t.Errorf("capNames = %q, want %q", got, want)
	}
	if got := capNames("zz"); len(got) != 0 {
		t.Errorf("capNames(zz) = %q, want none", got)
	}
}

func TestLookupUser(t *testing.T) {
	passwd := "root:x:0:0:root:/root:/bin/sh\nbroken\napp:x:1000:1000::/home/app:/bin/sh\n"
	for uid, want := range map[int]string{0: "root", 1000: "app", 65534: ""} {
		if got := lookupUser(passwd, uid); got != want {
			t.Errorf("lookupUser(%d) = %q, want %q", uid, got, want)
		}
	}
}

func TestReadCgroup(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		self  string
		want  Cgroup
	}{
		{
			name: "v2 in a cgroup namespace",
			files: map[string]string{
				"cgroup.controllers": "cpu memory pids", "memory.max": "268435456\n",
				"cpu.max": "150000 100000\n", "cpu.weight": "100\n", "pids.max": "64\n",
			},
			self: "0::/\n",
			want: Cgroup{CgroupVersion: 2, MemoryLimitBytes: 256 << 20, CPUQuota: 1.5, CPUWeight: 100, PidsLimit: 64},
		},
		{
			name: "v2 unlimited",
			files: map[string]string{
				"cgroup.controllers": "", "memory.max": "max\n", "cpu.max": "max 100000\n", "pids.max": "max\n",
			},
			self: "0::/\n",
			want: Cgroup{CgroupVersion: 2, MemoryLimitBytes: -1, PidsLimit: -1},
		},
		{
			name: "v2 own cgroup first",
			files: map[string]string{
				"cgroup.controllers": "", "memory.max": "max\n",
				"system.slice/docker-1.scope/memory.max": "1048576\n",
			},
			self: "0::/system.slice/docker-1.scope\n",
			want: Cgroup{CgroupVersion: 2, MemoryLimitBytes: 1 << 20},
		},
		{
			name: "v1 bind mounted",
			files: map[string]string{
				"memory/memory.limit_in_bytes": "9223372036854771712\n",
				"cpu/cpu.cfs_quota_us":         "50000\n", "cpu/cpu.cfs_period_us": "100000\n", "cpu/cpu.shares": "512\n",
				"pids/pids.max": "100\n",
			},
			self: "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n2:pids:/docker/abc\n",
			want: Cgroup{CgroupVersion: 1, MemoryLimitBytes: -1, CPUQuota: 0.5, CPUShares: 512, PidsLimit: 100},
		},
		{
			name: "v1 unlimited cpu",
			files: map[string]string{
				"memory/memory.limit_in_bytes": "134217728\n",
				"cpu/cpu.cfs_quota_us":         "-1\n", "cpu/cpu.cfs_period_us": "100000\n",
			},
			want: Cgroup{CgroupVersion: 1, MemoryLimitBytes: 128 << 20},
		},
		{name: "none", want: Cgroup{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tt.files {
				path := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := readCgroup(root, tt.self); got != tt.want {
				t.Errorf("readCgroup = %+v, want %+v", got, tt.want)
			}
		})
	}
}
