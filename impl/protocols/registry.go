package protocols

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// Entry is a protocol the runtime can run, by its catalog name.
type Entry struct {
	Name string
	// Doc says what a run does: its workload, replies, checks.
	Doc string
	// Bounds name the catalog parameters that only bound the checker's
	// search (Raft's terms, heartbeats, candidates). A run lifts them: Run
	// and Check take a negative value for "no bound", and the command
	// line passes one unless the flag is set.
	Bounds []string
	// Timers are the protocol's timers by name, with their durations in
	// the runtime: the names Options.Timers (-timer) may set.
	Timers map[string]impl.TimerSpec
	// Check builds the target and checks opts against it — the timers
	// named, the data directory — without running or writing anything:
	// the errors Run would return before its first round.
	Check func(params map[string]int, mutant string, opts Options) error
	// Run builds the target from the catalog's parameters and runs it:
	// the runtime has no parameters of its own, so what it runs is what
	// the checker checks.
	Run func(params map[string]int, mutant string, opts Options) (*Result, error)
}

var entries = map[string]*Entry{}

func register(e *Entry) { entries[e.Name] = e }

// Lookup finds a runnable protocol by its catalog name.
func Lookup(name string) (*Entry, error) {
	if e, ok := entries[name]; ok {
		return e, nil
	}
	return nil, fmt.Errorf("the runtime cannot run %q (it runs %s)", name, strings.Join(Names(), ", "))
}

// Names lists the runnable protocols.
func Names() []string {
	var out []string
	for n := range entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// NewEntry makes an Entry of a target builder: a protocol declared
// outside this package (cli.Declare) runs through it as the built-in
// ones do.
func NewEntry[S, M any](name, doc string, timers map[string]impl.TimerSpec, build func(params map[string]int, mutant string) (*Target[S, M], error)) *Entry {
	return entry(name, doc, timers, build)
}

// entry makes an Entry of a target builder.
func entry[S, M any](name, doc string, timers map[string]impl.TimerSpec, build func(params map[string]int, mutant string) (*Target[S, M], error)) *Entry {
	return &Entry{Name: name, Doc: doc, Timers: timers,
		Check: func(params map[string]int, mutant string, opts Options) error {
			t, err := build(params, mutant)
			if err != nil {
				return err
			}
			return check(t, opts)
		},
		Run: func(params map[string]int, mutant string, opts Options) (*Result, error) {
			t, err := build(params, mutant)
			if err != nil {
				return nil, err
			}
			return Run(t, opts)
		}}
}

// named returns the properties among props whose names are listed, in
// props' order.
func named[S, M any](props []spec.Property[S, M], names []string) []spec.Property[S, M] {
	var out []spec.Property[S, M]
	for _, p := range props {
		if slices.Contains(names, p.Name) {
			out = append(out, p)
		}
	}
	return out
}

// sometimes returns the names of the sometimes properties of props.
func sometimes[S, M any](props []spec.Property[S, M]) []string {
	var out []string
	for _, p := range props {
		if p.Kind == spec.Sometimes {
			out = append(out, p.Name)
		}
	}
	return out
}

// present returns those of names that are properties of props, in props'
// order (the expected sometimes properties a target evaluates).
func present[S, M any](props []spec.Property[S, M], names ...string) []string {
	var out []string
	for _, p := range named(props, names) {
		out = append(out, p.Name)
	}
	return out
}

// distinctNodes counts the nodes that have items in work.
func distinctNodes[M any](work []spec.WorkItem[M]) int {
	seen := map[spec.NodeID]bool{}
	for _, w := range work {
		seen[w.Node] = true
	}
	return len(seen)
}
