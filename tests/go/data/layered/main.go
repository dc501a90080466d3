// The directives live in a package of their own; diagnostics must point into it.
package main

import (
	"fmt"

	"example.com/layered/bindings"
)

func main() {
	fmt.Println("total:", bindings.Total(2, 3))
}
