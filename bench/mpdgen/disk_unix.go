//go:build linux || darwin

package main

import "syscall"

// freeBytes returns the space free to an unprivileged user on dir's file
// system.
func freeBytes(dir string) (uint64, bool) {
	var s syscall.Statfs_t
	if err := syscall.Statfs(dir, &s); err != nil {
		return 0, false
	}
	return uint64(s.Bavail) * uint64(s.Bsize), true
}
