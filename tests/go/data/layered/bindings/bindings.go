// Package bindings declares the host's functions.
package bindings

// Amount is how the host counts.
type Amount uint32

//go:wasmimport example:layered/host@0.1.0 add
func add(a, b Amount) Amount

// Total asks the host.
func Total(a, b uint32) uint32 {
	return uint32(add(Amount(a), Amount(b)))
}
