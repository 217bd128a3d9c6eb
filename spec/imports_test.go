package spec_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden are the packages through which hidden inputs (time, randomness,
// I/O, scheduling) could leak into a step function.
var forbidden = []string{"time", "math/rand", "math/rand/v2", "net", "os", "sync", "log", "syscall", "crypto/rand", "unsafe"}

// exempt are helper packages under spec/ that only tests import.
var exempt = map[string]bool{"spectest": true}

const module = "github.com/distsys/distsys/"

// TestSpecImportsNothingImpure walks every non-test Go file under spec/ and
// fails on an import of a forbidden package (or one of its subpackages) or
// of any package of ours outside spec/: spec/ sits at the bottom of the
// dependency graph and stays pure.
func TestSpecImportsNothingImpure(t *testing.T) {
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if exempt[d.Name()] || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if p == bad || strings.HasPrefix(p, bad+"/") {
					t.Errorf("%s imports %q: spec/ must stay pure", path, p)
				}
			}
			if strings.HasPrefix(p, module) && !strings.HasPrefix(p, module+"spec") {
				t.Errorf("%s imports %q: spec/ imports nothing of ours outside spec/", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 5 {
		t.Fatalf("walked only %d files: is the test running in spec/?", files)
	}
}
