package impl_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// specPath is the import path of the node contract.
const specPath = "github.com/distsys/distsys/spec"

// protocolSteps returns, for one Go file, the methods with the signature
// of spec.Protocol's Step — func (R) Step(S, spec.Input[M]) (S,
// []spec.Output[M]) — as "Recv.Step at line N". Such a method outside
// spec/ is protocol logic the checker never explores: a wrapper that
// changes what a node does, run by the runtime and unchecked.
func protocolSteps(fset *token.FileSet, f *ast.File) []string {
	// The names the file gives the spec package ("." for a dot import).
	names := map[string]bool{}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == specPath {
			name := "spec"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			names[name] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	// isSpec reports whether e names spec's type typ, instantiated.
	isSpec := func(e ast.Expr, typ string) bool {
		switch x := e.(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return false
		}
		if id, ok := e.(*ast.Ident); ok {
			return names["."] && id.Name == typ
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != typ {
			return false
		}
		pkg, ok := sel.X.(*ast.Ident)
		return ok && names[pkg.Name]
	}
	var found []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || fn.Name.Name != "Step" || fn.Type.Results == nil {
			continue
		}
		params, results := flatten(fn.Type.Params), flatten(fn.Type.Results)
		if len(params) != 2 || len(results) != 2 {
			continue
		}
		outs, ok := results[1].(*ast.ArrayType)
		if !ok || outs.Len != nil || !isSpec(params[1], "Input") || !isSpec(outs.Elt, "Output") ||
			types.ExprString(params[0]) != types.ExprString(results[0]) {
			continue
		}
		recv := types.ExprString(fn.Recv.List[0].Type)
		found = append(found, recv+".Step at line "+strconv.Itoa(fset.Position(fn.Pos()).Line))
	}
	return found
}

// flatten lists the type of every parameter of a field list, one per
// name: (a, b int) is two ints.
func flatten(fl *ast.FieldList) []ast.Expr {
	var out []ast.Expr
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		for range n {
			out = append(out, f.Type)
		}
	}
	return out
}

// TestNoProtocolStepOutsideSpec walks every package of the module outside
// spec/ and fails on a method with spec.Protocol's Step signature:
// whatever the runtime runs, the checker has checked, so no protocol
// logic lives outside spec/ (DESIGN.md, "Runtime"). Test doubles in
// _test.go files are allowed; other modules nested in the tree (a user's
// protocols under examples/, the benchmarks' peers) are their own.
func TestNoProtocolStepOutsideSpec(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module root is not %s: %v", root, err)
	}
	files := 0
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == root {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			if rel == "spec" || d.Name() == "testdata" || d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, s := range protocolSteps(fset, f) {
			t.Errorf("%s: %s has spec.Protocol's Step signature: protocol logic outside spec/, which the checker never explores (make it a parameter of the spec/ package)", path, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("walked only %d files: is the test running in impl/?", files)
	}
}

// The guard sees a protocol Step whatever the receiver, the spec import's
// name and the parameter names, and only that signature.
func TestProtocolStepsFindsTheStepSignature(t *testing.T) {
	src := `package p

import (
	"github.com/distsys/distsys/spec"
	q "github.com/distsys/distsys/spec/quorum"
	s2 "github.com/distsys/distsys/spec"
)

type wrap struct{ *q.Protocol }
type gen[S any] struct{}
type other struct{}

func (w wrap) Step(s q.State, in spec.Input[q.Msg]) (q.State, []spec.Output[q.Msg]) { return s, nil }
func (g *gen[S]) Step(s S, in s2.Input[int]) (S, []s2.Output[int])                   { return s, nil }
func (other) Step(s int, in spec.Input[int]) (string, []spec.Output[int])          { return "", nil }
func (other) Step2(s int, in spec.Input[int]) (int, []spec.Output[int])            { return s, nil }
func Step(s int, in spec.Input[int]) (int, []spec.Output[int])                     { return s, nil }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(protocolSteps(fset, f), "; ")
	if want := "wrap.Step at line 13; *gen[S].Step at line 14"; got != want {
		t.Errorf("found %q, want %q", got, want)
	}
	dot := "package p\nimport . \"github.com/distsys/distsys/spec\"\ntype d struct{}\nfunc (d) Step(s int, in Input[int]) (int, []Output[int]) { return s, nil }\n"
	if f, err = parser.ParseFile(fset, "d.go", dot, parser.SkipObjectResolution); err != nil {
		t.Fatal(err)
	}
	if got := protocolSteps(fset, f); len(got) != 1 {
		t.Errorf("a dot import of spec: found %q, want d.Step", got)
	}
}
