package main

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes Linux kill the child host if the shim dies
// without stopping it (say, SIGKILL). The signal is tied to the OS thread
// that starts the child: main locks itself to one.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
