package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

// writeCheckHTML writes the counterexample of a check (with -all, the
// first property's that has one) to path as a self-contained HTML page,
// and returns the line the report ends with.
func writeCheckHTML(path string, rep *catalog.Report) (string, error) {
	t := rep.Trace
	for _, v := range rep.Verdicts {
		if t == nil && v.Trace != nil {
			t = v.Trace
		}
	}
	if t == nil {
		return "html:    no counterexample, nothing written\n", nil
	}
	var b bytes.Buffer
	if err := traces.WriteHTML(&b, t); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return "", err
	}
	return fmt.Sprintf("html:    %s counterexample drawn in %s (open it in a browser)\n", t.Violation.Property, path), nil
}
