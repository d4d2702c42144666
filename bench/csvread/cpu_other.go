//go:build !unix

package main

import "time"

// cpuTime returns 0: CPU time is measured on Unix only.
func cpuTime() time.Duration { return 0 }
