package main

import (
	"testing"

	"github.com/distsys/distsys/catalog"
)

// Every row names a protocol of the catalog, so that the benchmark cannot rot silently; running it is for
// people (`go run ./bench/reach`), not for go test.
func TestRowsNameRealProtocols(t *testing.T) {
	known := map[string]bool{}
	for _, e := range catalog.All() {
		known[e.Name] = true
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.name] {
			t.Errorf("row %s twice", r.name)
		}
		seen[r.name] = true
		if len(r.args) < 2 || r.args[0] != "check" || !known[r.args[1]] {
			t.Errorf("row %s: %v is not `check PROTOCOL …` of a known protocol", r.name, r.args)
		}
	}
}
