package cli

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

// writeCheckHTML draws the counterexample of a check as a self-contained
// HTML page at path, and returns the lines the report ends with. With
// -all (all), every violated property's counterexample gets its own page,
// named by inserting "-PROPERTY" before path's extension (out.html:
// out-agreement.html, out-validity.html, ...).
func writeCheckHTML(path string, rep *catalog.Report, all bool) (string, error) {
	type page struct {
		path string
		t    *traces.Trace
	}
	var pages []page
	if all {
		ext := filepath.Ext(path)
		for _, v := range rep.Verdicts {
			if v.Trace != nil {
				pages = append(pages, page{strings.TrimSuffix(path, ext) + "-" + v.Property + ext, v.Trace})
			}
		}
	} else if rep.Trace != nil {
		pages = append(pages, page{path, rep.Trace})
	}
	if len(pages) == 0 {
		return "html:    no counterexample, nothing written\n", nil
	}
	var note strings.Builder
	var first error
	for _, p := range pages {
		var b bytes.Buffer
		if err := traces.WriteHTML(&b, p.t); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		if err := os.WriteFile(p.path, b.Bytes(), 0o644); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		fmt.Fprintf(&note, "html:    %s counterexample drawn in %s (open it in a browser)\n", p.t.Violation.Property, p.path)
	}
	return note.String(), first
}
