package main

import (
	"bufio"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// parseMountinfo parses the content of /proc/self/mountinfo:
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// Malformed lines are skipped; the result is never nil.
func parseMountinfo(content string) []Mount {
	mounts := []Mount{}
	sc := bufio.NewScanner(strings.NewReader(content))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := slices.Index(f, "-")
		if sep < 6 || len(f) < sep+4 {
			continue
		}
		opts := strings.Split(f[5], ",")
		mounts = append(mounts, Mount{
			MountPoint:   unescapeMount(f[4]),
			Root:         unescapeMount(f[3]),
			FSType:       f[sep+1],
			Source:       unescapeMount(f[sep+2]),
			Options:      opts,
			SuperOptions: strings.Split(f[sep+3], ","),
			ReadOnly:     slices.Contains(opts, "ro"),
		})
	}
	return mounts
}

// unescapeMount undoes the octal escapes (\040 for a space) the kernel
// writes in mountinfo paths.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// procStatus is what info reads from /proc/self/status.
type procStatus struct {
	caps       Capabilities
	noNewPrivs bool
	seccomp    int
}

// parseStatus parses the content of /proc/self/status.
func parseStatus(content string) procStatus {
	st := procStatus{caps: Capabilities{EffectiveNames: []string{}, BoundingNames: []string{}}}
	sc := bufio.NewScanner(strings.NewReader(content))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch key {
		case "CapEff":
			st.caps.Effective = value
			st.caps.EffectiveNames = capNames(value)
		case "CapPrm":
			st.caps.Permitted = value
		case "CapBnd":
			st.caps.Bounding = value
			st.caps.BoundingNames = capNames(value)
		case "NoNewPrivs":
			st.noNewPrivs = value == "1"
		case "Seccomp":
			st.seccomp, _ = strconv.Atoi(value)
		}
	}
	return st
}

// capNames decodes a hex capability set, e.g. "00000000a80425fb", into
// names such as "CAP_CHOWN" in bit order. An unknown bit N is "CAP_N".
func capNames(hex string) []string {
	names := []string{}
	set, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return names
	}
	known := capabilityNames()
	for bit := range 64 {
		if set&(1<<bit) == 0 {
			continue
		}
		if bit < len(known) {
			names = append(names, "CAP_"+known[bit])
		} else {
			names = append(names, fmt.Sprintf("CAP_%d", bit))
		}
	}
	return names
}

// capabilityNames returns the Linux capability names without "CAP_",
// indexed by bit number (linux/capability.h).
func capabilityNames() []string {
	return []string{
		"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
		"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
		"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK",
		"IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
		"SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE",
		"SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
		"AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
		"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
		"CHECKPOINT_RESTORE",
	}
}
