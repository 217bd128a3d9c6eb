package traces_test

import (
	"os"

	"github.com/distsys/distsys/traces"
)

// Render a trace for the terminal.
func ExampleWriteText() {
	traces.WriteText(os.Stdout, sample())
	// Output:
	// ping n=2 tries=1
	// model: network unordered, reliable
	//   0. n0 starts → send m1 to n1
	//   1. deliver n0→n1 m1 → send m2 to n0
	//      n1: answered
	//   2. duplicate n1→n0 m2 [fault]
	//   3. deliver n1→n0 m2 → observe got m2
	//      n0: done
	// violated: p (always): because
}
