// A command whose world exports wasi:cli/run and imports an interface of its own.
package main

import (
	"fmt"
	"os"
	"unsafe"
)

//go:wasmimport example:greeter/names@0.1.0 prefix
func namesPrefix(result *[2]uint32)

func main() {
	var r [2]uint32
	namesPrefix(&r)
	prefix := unsafe.String((*byte)(unsafe.Pointer(uintptr(r[0]))), r[1])
	fmt.Println(prefix+"world", len(os.Args))
}

var pinned [][]byte

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf := make([]byte, newSize+align)
	pinned = append(pinned, buf)
	p := unsafe.Pointer(&buf[0])
	return unsafe.Add(p, (uintptr(align)-uintptr(p)%uintptr(align))%uintptr(align))
}
