package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// echo is a protocol declared as a user of the library would: node 0
// sends each of its requests to node 1, which stores the highest value it
// has heard. Mutant "lower" stores the last value heard instead, and
// breaks "monotonic" when two values arrive out of order.
type echo struct {
	n      int
	mutant string
}

type echoState struct {
	ID   spec.NodeID
	High int
}

func (p echo) Nodes() int                       { return p.n }
func (p echo) Init(id spec.NodeID) echoState    { return echoState{ID: id} }
func (p echo) Crash(s echoState) echoState      { return s }
func (p echo) AppendMsg(b []byte, m int) []byte { return append(b, byte(m)) }
func (p echo) FormatState(s echoState) string   { return fmt.Sprintf("high=%d", s.High) }
func (p echo) FormatMsg(m int) string           { return fmt.Sprint(m) }
func (p echo) TimerName(t spec.Timer) string    { return fmt.Sprint(t) }
func (p echo) AppendState(b []byte, s echoState) []byte {
	return append(b, byte(s.ID), byte(s.High))
}

func (p echo) Step(s echoState, in spec.Input[int]) (echoState, []spec.Output[int]) {
	switch {
	case in.Kind == spec.Request:
		return s, []spec.Output[int]{spec.SendTo(1, in.Msg)}
	case in.Kind == spec.Receive && (in.Msg > s.High || p.mutant == "lower"):
		s.High = in.Msg
		return s, []spec.Output[int]{spec.Emit(in.Msg)}
	}
	return s, nil
}

var echoProps = []spec.Property[echoState, int]{
	{Name: "monotonic", Kind: spec.OnTransition, Doc: "node 1's value never goes down",
		Step: func(before, after spec.View[echoState, int]) error {
			if after.State(1).High < before.State(1).High {
				return fmt.Errorf("high went from %d to %d", before.State(1).High, after.State(1).High)
			}
			return nil
		}},
	{Name: "heard", Kind: spec.Sometimes, Doc: "node 1 heard a value",
		Reach: func(v spec.View[echoState, int]) bool { return v.State(1).High > 0 }},
}

// echoDecl is a valid declaration; the tests break one field at a time.
func echoDecl() Protocol[echoState, int] {
	return Protocol[echoState, int]{
		Name: "echo", Summary: "the highest value heard",
		Params:     []Param{{Name: "values", Doc: "values node 0 sends", Default: 2, Min: 0, Max: 3}},
		Mutants:    []spec.Mutant{{Name: "lower", Doc: "keeps the last value, not the highest", Breaks: "monotonic"}},
		Properties: echoProps,
		Build: func(params map[string]int, mutant string) (spec.Protocol[echoState, int], []spec.WorkItem[int], error) {
			var work []spec.WorkItem[int]
			for v := 1; v <= params["values"]; v++ {
				work = append(work, spec.WorkItem[int]{Node: 0, Choices: []int{v}})
			}
			return echo{n: 2, mutant: mutant}, work, nil
		},
		Run: &Runtime[echoState, int]{
			Replies: Replies[int]{
				Key:   func(req int) uint64 { return uint64(req) },
				Reply: func(_ spec.NodeID, obs int) (uint64, bool) { return uint64(obs), true },
			},
			Expected: []string{"heard"},
		},
	}
}

func execute(t *testing.T, entries []Entry, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Execute(args, &out, &errb, entries...)
	return code, out.String(), errb.String()
}

// A protocol declared outside the catalog gets list, check (-json,
// -trace-out, -html, -all), replay, viz and run, with honest verdicts.
func TestDeclaredProtocolGetsEverySubcommand(t *testing.T) {
	e := Declare(echoDecl())
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	served := []Entry{e}
	code, out, _ := execute(t, served, "list")
	if code != 0 || !strings.Contains(out, "echo — the highest value heard\n") || !strings.Contains(out, "-values") || strings.Contains(out, "raft") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	code, out, _ = execute(t, served, "-h")
	if code != 0 || strings.Contains(out, "hierarchy") || strings.Contains(out, "generals") || !strings.Contains(out, "modelcheck run") {
		t.Fatalf("usage serves the course's commands, or lacks run: exit %d\n%s", code, out)
	}
	if code, _, errs := execute(t, served, "hierarchy"); code != exitUsage || !strings.Contains(errs, `unknown command "hierarchy"`) {
		t.Fatalf("hierarchy without the course: exit %d, %s", code, errs)
	}
	if code, _, errs := execute(t, served, "check", "raft"); code != exitUsage || !strings.Contains(errs, `unknown protocol "raft" (known: echo)`) {
		t.Fatalf("check of a protocol not served: exit %d, %s", code, errs)
	}

	// OK: the space exhausted, every property evaluated, the witness reached.
	code, out, _ = execute(t, served, "check", "echo", "-json", "-workers", "1")
	var rep struct {
		Status    string   `json:"status"`
		States    int64    `json:"distinct_states"`
		Evaluated []string `json:"evaluated"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check -json: %v\n%s", err, out)
	}
	if code != exitOK || rep.Status != "ok" || rep.States != 7 || strings.Join(rep.Evaluated, ",") != "monotonic,heard" {
		t.Fatalf("check echo: exit %d, %+v\n%s", code, rep, out)
	}

	// The mutant: violated, the trace replays to the same violation.
	dir := t.TempDir()
	tr, page := filepath.Join(dir, "lower.json"), filepath.Join(dir, "lower.html")
	code, out, _ = execute(t, served, "check", "echo", "-mutant", "lower", "-trace-out", tr, "-html", page)
	if code != exitViolated || !strings.Contains(out, "VIOLATED — monotonic (on-transition): high went from 2 to 1") {
		t.Fatalf("check -mutant lower: exit %d\n%s", code, out)
	}
	if st, err := os.Stat(page); err != nil || st.Size() == 0 {
		t.Fatalf("-html: %v", err)
	}
	code, out, _ = execute(t, served, "replay", tr)
	if code != exitViolated || !strings.Contains(out, "monotonic is violated again") {
		t.Fatalf("replay: exit %d\n%s", code, out)
	}
	code, out, _ = execute(t, served, "viz", tr, "-format", "mermaid")
	if code != exitOK || !strings.HasPrefix(out, "sequenceDiagram") || !strings.Contains(out, "✗ monotonic") {
		t.Fatalf("viz: exit %d\n%s", code, out)
	}
	code, out, _ = execute(t, served, "check", "echo", "-mutant", "lower", "-all", "-json")
	if code != exitViolated || !strings.Contains(out, `"verdicts"`) {
		t.Fatalf("check -all: exit %d\n%s", code, out)
	}
	if code, _, errs := execute(t, served, "check", "echo", "-symmetry"); code != exitUsage || !strings.Contains(errs, "-symmetry: echo declares no interchangeable nodes") {
		t.Fatalf("check -symmetry: exit %d, %s", code, errs)
	}
	// A trace of a protocol this program does not serve is refused.
	if code, _, errs := execute(t, Course(), "replay", tr); code != exitUsage || !strings.Contains(errs, `unknown protocol "echo"`) {
		t.Fatalf("replay by the course's command: exit %d, %s", code, errs)
	}

	// run: the same Step on the runtime, every round replayed and checked.
	code, out, _ = execute(t, served, "run", "echo", "-simulate", "-seed", "1", "-ops", "6")
	if code != exitOK || !strings.Contains(out, "operations: 6 issued, 6 answered") || !strings.Contains(out, "result: OK") {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	code, out, _ = execute(t, served, "run", "echo", "-simulate", "-seed", "1", "-values", "0")
	if code != exitIncomplete || !strings.Contains(out, "heard (sometimes) was reached in no round") {
		t.Fatalf("run with no workload: exit %d\n%s", code, out)
	}
}

// Served alongside the course, a declared protocol is one more entry, and
// the course's own commands stay.
func TestDeclaredProtocolBesideTheCourse(t *testing.T) {
	served := append(Course(), Declare(echoDecl()))
	code, out, _ := execute(t, served, "-h")
	if code != 0 || !strings.Contains(out, "hierarchy") || !strings.Contains(out, "generals") {
		t.Fatalf("usage: exit %d\n%s", code, out)
	}
	code, out, _ = execute(t, served, "list")
	if code != 0 || !strings.Contains(out, "\necho — ") || !strings.Contains(out, "raft — ") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
}

// Every mistake in a declaration is one line on stderr and exit 2, before
// any work, whatever the command.
func TestBadDeclarations(t *testing.T) {
	cases := []struct {
		name  string
		decl  func(d *Protocol[echoState, int])
		extra []Entry
		want  string
	}{
		{"no build", func(d *Protocol[echoState, int]) { d.Build = nil }, nil, `protocol "echo": no Build`},
		{"nil protocol", func(d *Protocol[echoState, int]) {
			d.Build = func(map[string]int, string) (spec.Protocol[echoState, int], []spec.WorkItem[int], error) {
				return nil, nil, nil
			}
		}, nil, `protocol "echo": Build with the default parameters returned no protocol (nothing to Step)`},
		{"build fails", func(d *Protocol[echoState, int]) {
			d.Build = func(map[string]int, string) (spec.Protocol[echoState, int], []spec.WorkItem[int], error) {
				return nil, nil, errors.New("no such thing")
			}
		}, nil, `protocol "echo": Build with the default parameters: no such thing`},
		{"bad name", func(d *Protocol[echoState, int]) { d.Name = "Echo Chamber" }, nil, `protocol name "Echo Chamber": want lower-case`},
		{"no properties", func(d *Protocol[echoState, int]) { d.Properties = nil }, nil, `protocol "echo": no properties`},
		{"default out of range", func(d *Protocol[echoState, int]) { d.Params[0].Default = 9 }, nil,
			`protocol "echo": parameter "values": default 9 is out of its range 0..3`},
		{"parameter twice", func(d *Protocol[echoState, int]) { d.Params = append(d.Params, d.Params[0]) }, nil,
			`protocol "echo": parameter "values" declared twice`},
		{"parameter named like a model flag", func(d *Protocol[echoState, int]) { d.Params[0].Name = "drops" }, nil,
			`protocol "echo": parameter "drops": -drops is a system-model or search flag`},
		{"parameter named like a check flag", func(d *Protocol[echoState, int]) { d.Params[0].Name = "json" }, nil,
			`protocol "echo": parameter "json": -json is a flag of check`},
		{"bad choice default", func(d *Protocol[echoState, int]) { d.Params[0].Choices = []string{"a", "b"} }, nil,
			`protocol "echo": parameter "values": default 2 is not the index of a choice (one of a, b)`},
		{"property without its function", func(d *Protocol[echoState, int]) {
			d.Properties = append(d.Properties[:1:1], spec.Property[echoState, int]{Name: "x", Kind: spec.Always})
		}, nil, `protocol "echo": property "x" (always): set exactly its kind's function`},
		{"mutant breaking nothing declared", func(d *Protocol[echoState, int]) { d.Mutants[0].Breaks = "order" }, nil,
			`protocol "echo": mutant "lower" breaks "order", which is not one of its properties`},
		{"bad default model", func(d *Protocol[echoState, int]) { d.DefaultModel = "-network carrier-pigeon" }, nil,
			`echo: default model "-network carrier-pigeon"`},
		{"expected not a witness", func(d *Protocol[echoState, int]) { d.Run.Expected = []string{"monotonic"} }, nil,
			`protocol "echo": Run.Expected names "monotonic", which is not one of its sometimes properties`},
		{"symmetry without renaming", func(d *Protocol[echoState, int]) { d.Symmetry = "both nodes" }, nil,
			`protocol "echo": Symmetry "both nodes", but the protocol Build returns does not implement spec.Symmetric`},
		{"twice", func(*Protocol[echoState, int]) {}, []Entry{Declare(echoDecl())}, `protocol "echo": registered twice`},
		{"a course name", func(d *Protocol[echoState, int]) { d.Name = "raft" }, Course(), `protocol "raft": registered twice`},
		{"empty entry", func(*Protocol[echoState, int]) {}, []Entry{{}}, "an empty cli.Entry: make one with cli.Declare"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := echoDecl()
			c.decl(&d)
			for _, args := range [][]string{{"list"}, {"check", "echo"}, {"run", "echo"}} {
				code, out, errs := execute(t, append([]Entry{Declare(d)}, c.extra...), args...)
				if code != exitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q; want one line with %q", args, code, out, errs, c.want)
				}
			}
		})
	}
	if code, _, errs := execute(t, nil, "list"); code != exitUsage || !strings.Contains(errs, "no protocol to serve") {
		t.Fatalf("no protocols: exit %d, %s", code, errs)
	}
}

// The course's protocols pass the checks a declaration gets.
func TestCourseDeclarationsValidate(t *testing.T) {
	for _, e := range Course() {
		if err := e.Err(); err != nil {
			t.Error(err)
		}
		if err := e.Catalog().Validate(); err != nil {
			t.Error(err)
		}
		if err := flagClash(e.Catalog()); err != nil {
			t.Error(err)
		}
	}
}

// catalog.ModelTrace draws a counterexample found with model and explore
// directly, as `replay` and the renderers take it.
func TestModelTrace(t *testing.T) {
	d := echoDecl()
	proto, work, _ := d.Build(map[string]int{"values": 2}, "lower")
	m, err := model.New(proto, model.Config{}, work, echoProps)
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check[*model.World[echoState, int], model.Action](m, m.Properties(), explore.Options{Workers: 1})
	if err != nil || res.Status != explore.Violated {
		t.Fatalf("%v %v", res.Status, err)
	}
	v := res.Violation
	tr, err := catalog.ModelTrace(m, traces.Trace{Protocol: "echo", Params: map[string]int{"values": 2}, Mutant: "lower",
		Violation: &traces.Violation{Property: v.Property, Kind: v.Kind.String(), Reason: v.Reason}}, v.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := len(tr.Steps()); got != v.Path.Len() || tr.Nodes[1] != "n1" || tr.Model == nil {
		t.Fatalf("%d steps, want %d; nodes %v, model %v", got, v.Path.Len(), tr.Nodes, tr.Model)
	}
	again, err := Declare(d).Catalog().Replay(tr)
	if err != nil || !again.Violated || again.Property != "monotonic" {
		t.Fatalf("replay: %+v, %v", again, err)
	}
	if _, err := catalog.ModelTrace(m, traces.Trace{}, explore.Path[*model.World[echoState, int], model.Action]{}); err == nil {
		t.Fatal("a path without an initial world made a trace")
	}
}
