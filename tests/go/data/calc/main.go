// A reactor implementing example:calc/calc and calling the host's example:calc/host.
package main

import (
	"strings"
	"unsafe"
)

//go:wasmimport example:calc/host@0.1.0 log
func hostLog(msg string)

//go:wasmimport example:calc/host@0.1.0 base
func hostBase() int32

//go:wasmimport example:calc/host@0.1.0 suffix
func hostSuffix(result *[2]uint32)

//go:wasmexport example:calc/calc@0.1.0#add
func add(a, b int32) int32 {
	return a + b + hostBase()
}

//go:wasmexport example:calc/calc@0.1.0#scale
func scale(x float64, k float32) float64 {
	return x * float64(k)
}

//go:wasmexport example:calc/calc@0.1.0#mix
func mix(a uint64, b uint32) uint64 {
	return a<<8 | uint64(b)
}

//go:wasmexport example:calc/calc@0.1.0#count-bytes
func countBytes(data unsafe.Pointer, n uint32) uint32 {
	defer unpin()
	count := uint32(0)
	for _, b := range unsafe.Slice((*byte)(data), n) {
		count += uint32(b)
	}
	return count
}

// The result of greet lives here until the host calls the post-return.
var greeting []byte
var greetResult [2]uint32

//go:wasmexport example:calc/calc@0.1.0#greet
func greet(name string) *[2]uint32 {
	defer unpin()
	var suffix [2]uint32
	hostSuffix(&suffix)
	text := "hello, " + strings.ToUpper(name) + unsafe.String((*byte)(unsafe.Pointer(uintptr(suffix[0]))), suffix[1])
	hostLog("greeting " + name)
	greeting = []byte(text)
	greetResult = [2]uint32{uint32(uintptr(unsafe.Pointer(unsafe.SliceData(greeting)))), uint32(len(greeting))}
	return &greetResult
}

//go:wasmexport cabi_post_example:calc/calc@0.1.0#greet
func greetPost(result uint32) {
	greeting = nil
}

// Blocks handed to the host stay reachable until the export that receives them has them in Go values.
var pinned [][]byte

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if newSize == 0 {
		return unsafe.Pointer(uintptr(align))
	}
	buf := make([]byte, newSize+align)
	p := unsafe.Pointer(&buf[0])
	p = unsafe.Add(p, (uintptr(align)-uintptr(p)%uintptr(align))%uintptr(align))
	if old != nil {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(old), min(oldSize, newSize)))
	}
	pinned = append(pinned, buf)
	return p
}

func unpin() {
	clear(pinned)
	pinned = pinned[:0]
}

func main() {}
