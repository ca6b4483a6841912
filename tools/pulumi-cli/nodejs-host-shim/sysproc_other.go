//go:build !linux

package main

import "os/exec"

// setParentDeathSignal does nothing outside Linux: there the child host
// relies on its own health check of the engine to exit.
func setParentDeathSignal(*exec.Cmd) {}
