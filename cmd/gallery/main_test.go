package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
)

// saved is where the catalog keeps the classics' counterexamples.
var saved = filepath.Join("..", "..", "catalog", "testdata", "counterexamples")

// TestGalleryIsUpToDate regenerates docs/counterexamples.md in memory: a
// change of a protocol, a classic or the Mermaid renderer must come with
// the regenerated page.
func TestGalleryIsUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := gallery(&b, saved); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "counterexamples.md")
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, b.Bytes()) {
		t.Fatalf("%s is out of date: run go run ./cmd/gallery -o docs/counterexamples.md and read the diff", path)
	}
}

// TestGalleryDrawsEveryClassic: one section and one diagram per classic.
func TestGalleryDrawsEveryClassic(t *testing.T) {
	var b bytes.Buffer
	if err := gallery(&b, saved); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	classics := catalog.Classics()
	if n := strings.Count(page, "```mermaid\nsequenceDiagram\n"); n != len(classics) {
		t.Errorf("%d diagrams for %d classics", n, len(classics))
	}
	for _, c := range classics {
		if !strings.Contains(page, "\n## "+c.Name+"\n") {
			t.Errorf("no section for %s", c.Name)
		}
	}
}
