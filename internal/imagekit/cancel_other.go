//go:build !unix

package imagekit

import "os/exec"

// gentleCancel leaves cmd to be killed: mmdebstrap and debootstrap only
// run on Linux.
func gentleCancel(*exec.Cmd) {}
