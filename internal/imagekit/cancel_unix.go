//go:build unix

package imagekit

import (
	"os/exec"
	"syscall"
	"time"
)

// gentleCancel makes a cancelled context interrupt cmd the way Ctrl-C in
// a terminal does: SIGINT to its whole process group. mmdebstrap's main
// process ignores SIGINT and waits for its worker, which ends, and then
// unmounts what it mounted in the new root and removes its temporary
// directory; a bare kill would leave both behind. Two minutes later the
// process is killed.
func gentleCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 2 * time.Minute
}
