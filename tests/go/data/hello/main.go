// A Go command: arguments, environment, stdin, clocks, stdout/stderr and exit codes under the WASI adapter.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	fmt.Println("hello from Go:", strings.Join(os.Args[1:], " "))
	fmt.Println("GREETING =", os.Getenv("GREETING"))
	start := time.Now()
	time.Sleep(5 * time.Millisecond)
	fmt.Println("slept:", time.Since(start) >= 5*time.Millisecond)
	if os.Getenv("READ_STDIN") != "" {
		lines := bufio.NewScanner(os.Stdin)
		for lines.Scan() {
			fmt.Println("stdin:", strings.ToUpper(lines.Text()))
		}
	}
	fmt.Fprintln(os.Stderr, "to stderr")
	if code, err := strconv.Atoi(os.Getenv("EXIT_CODE")); err == nil {
		os.Exit(code)
	}
}
