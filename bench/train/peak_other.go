//go:build !amd64 || purego

package main

// fmaKernels is scalar math.FMA where there is no assembly kernel.
func fmaKernels() []fmaKernel { return []fmaKernel{{"scalar", scalarFMA}} }
