// Allocates far more than Go's initial heap while using WASI (clock, stdout) between allocations: the
// WASI adapter's state must not be inside memory Go's allocator hands out (docs/go.md).
package main

import (
	"fmt"
	"time"
)

func main() {
	var keep [][]byte
	total := 0
	for i := 0; i < 160; i++ {
		block := make([]byte, 256*1024)
		for j := range block {
			block[j] = byte(i)
		}
		keep = append(keep, block)
		total += len(block)
		if i%40 == 0 {
			fmt.Println("allocated", total>>20, "MiB at", time.Now().Year() > 2000)
		}
	}
	for i, block := range keep {
		for _, b := range block {
			if b != byte(i) {
				panic("heap block corrupted")
			}
		}
	}
	fmt.Println("done:", total>>20, "MiB intact")
}
