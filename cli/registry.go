package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// Param is one parameter of a protocol: a flag of check and run
// ("-clients 3"), an integer in Min..Max, or with Choices the index of
// one of them, written by its name.
type Param = catalog.Param

// TimerSpec is a timer's duration at run time: Base plus a uniform
// jitter of up to Jitter. The checker fires timers at any time.
type TimerSpec = impl.TimerSpec

// Replies says which observation answers which client request, for the
// runtime's clients (the run counts answered, timed-out and refused
// operations).
type Replies[M any] = impl.Replies[M]

// Protocol declares a protocol written against package spec, for
// Declare: what the command line needs to list, check, replay, draw and
// run it. Name, Build and at least one property are required; the rest
// is optional.
type Protocol[S, M any] struct {
	// Name is the protocol's name on the command line and in traces:
	// lower-case letters, digits and '-'.
	Name string
	// Summary is one line for `list`; Section, if any, the section of the
	// course it comes from ("6.1").
	Summary, Section string
	// Params are the protocol's parameters, as flags of check and run.
	// A parameter may not take the name of a flag of check (-network,
	// -mutant, -json, …); run renames one that takes a name of its own
	// flags (-ops becomes -NAME-ops).
	Params []Param
	// Mutants are known-buggy variants, switched by name (-mutant NAME):
	// Build receives the name. Each names the property it Breaks.
	Mutants []spec.Mutant
	// Properties are checked by check and evaluated on every round of
	// run, in this order.
	Properties []spec.Property[S, M]
	// DefaultModel are the system-model flags a check uses unless the
	// user sets them ("-network fifo -drops 1").
	DefaultModel string
	// Build makes the protocol and its workload (the client requests the
	// checker issues, and the runtime's clients send) from the
	// parameters, resolved: every one present and in range.
	Build func(params map[string]int, mutant string) (spec.Protocol[S, M], []spec.WorkItem[M], error)
	// Unreachable, if set, names the sometimes properties no check with
	// these parameters and system model can reach, with the reason: the
	// report lists them as omitted rather than failing on them.
	Unreachable func(params map[string]int, m model.Config) map[string]string
	// Symmetry, if set, says which nodes are interchangeable ("the
	// clients"), for check -symmetry: the protocol must implement
	// spec.Symmetric.
	Symmetry string
	// Run, if set, makes the protocol runnable by `run`: what the
	// runtime needs that the protocol does not say. Nil: run refuses it.
	Run *Runtime[S, M]

	_ struct{}
}

// Runtime is what `run` needs to run a protocol on goroutines (or a
// simulated clock) with faults, beyond the protocol itself.
type Runtime[S, M any] struct {
	// Doc says what a run does: its workload, its replies, what it checks.
	Doc string
	// Timers are the protocol's timers (by TimerName) with their
	// durations; -timer NAME=BASE+JITTER overrides them.
	Timers map[string]TimerSpec
	// Replies tells a request's reply: each client then waits for it (or
	// a timeout) before its next request. Without it requests are handed
	// over a few milliseconds apart and none is counted as answered.
	Replies Replies[M]
	// Expected names the sometimes properties the workload makes happen:
	// reached in no round, the run is INCOMPLETE, not OK.
	Expected []string
	// Servers, if set, are the nodes a client may retry a request at.
	Servers []spec.NodeID
	// Linearizable, if set, checks every round's client history with
	// porcupine.
	Linearizable *protocols.Linearizable[M]
	// Codec encodes the persisted state for -data (nil: JSON, which needs
	// exported fields).
	Codec impl.Codec[S]

	_ struct{}
}

// Entry is a declared protocol, ready to be served by Main: made by
// Declare, or one of Course. A declaration that did not validate carries
// its error, which Main reports before any work.
type Entry struct {
	check *catalog.Entry
	run   *protocols.Entry
	err   error
}

// Name is the protocol's name.
func (e Entry) Name() string {
	if e.check == nil {
		return ""
	}
	return e.check.Name
}

// Err is what is wrong with the declaration (nil: nothing).
func (e Entry) Err() error {
	if e.err == nil && e.check == nil {
		return errors.New("an empty cli.Entry: make one with cli.Declare")
	}
	return e.err
}

// Catalog is the protocol's catalog entry, to check and replay it from
// Go (Check, Replay, Resolve) as the command line does; nil when Err is
// set.
func (e Entry) Catalog() *catalog.Entry {
	if e.err != nil {
		return nil
	}
	return e.check
}

// Runnable reports whether `run` runs the protocol.
func (e Entry) Runnable() bool { return e.run != nil }

// Declare checks a declaration and makes an Entry of it. Whatever is
// wrong — a name the command line cannot carry, a parameter declared
// twice, named like a flag of check, or whose default lies outside its
// range, a property without its kind's function, a mutant breaking no
// declared property, a default model that does not parse, no Build, or a
// Build that fails or returns no protocol with the default parameters —
// is kept in the Entry's Err, one line naming the protocol and the field.
func Declare[S, M any](d Protocol[S, M]) Entry {
	e, err := declare(d)
	if err != nil {
		return Entry{err: err}
	}
	return e
}

func declare[S, M any](d Protocol[S, M]) (Entry, error) {
	if len(d.Properties) == 0 {
		return Entry{}, fmt.Errorf("protocol %q: no properties: a check of nothing proves nothing", d.Name)
	}
	ce, err := catalog.NodeProtocol[S, M]{Build: d.Build, Properties: d.Properties, Unreachable: d.Unreachable}.Entry(catalog.Entry{
		Name: d.Name, Summary: d.Summary, Section: d.Section, Params: d.Params, Mutants: d.Mutants, DefaultModel: d.DefaultModel,
		Symmetry: d.Symmetry,
	})
	if err != nil {
		return Entry{}, err
	}
	if err := ce.Validate(); err != nil {
		return Entry{}, err
	}
	if err := flagClash(ce); err != nil {
		return Entry{}, err
	}
	// Build with the default parameters, and with each mutant.
	defaults, err := ce.Resolve(nil, "")
	if err != nil {
		return Entry{}, err
	}
	for _, mutant := range append([]string{""}, mutantNames(d.Mutants)...) {
		p, _, err := d.Build(defaults, mutant)
		what := "the default parameters"
		if mutant != "" {
			what += " and -mutant " + mutant
		}
		switch {
		case err != nil:
			return Entry{}, fmt.Errorf("protocol %q: Build with %s: %v", d.Name, what, err)
		case p == nil:
			return Entry{}, fmt.Errorf("protocol %q: Build with %s returned no protocol (nothing to Step)", d.Name, what)
		case p.Nodes() < 1:
			return Entry{}, fmt.Errorf("protocol %q: Build with %s returned a protocol of %d nodes", d.Name, what, p.Nodes())
		}
		if _, ok := p.(spec.Symmetric[S, M]); d.Symmetry != "" && !ok {
			return Entry{}, fmt.Errorf("protocol %q: Symmetry %q, but the protocol Build returns does not implement spec.Symmetric", d.Name, d.Symmetry)
		}
	}
	e := Entry{check: ce}
	if rt := d.Run; rt != nil {
		if e.run, err = runtimeEntry(d, rt); err != nil {
			return Entry{}, err
		}
	}
	return e, nil
}

// flagClash refuses a parameter named like a flag of check: a parameter
// is a flag of check beside check's own.
func flagClash(e *catalog.Entry) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	new(checkFlags).register(fs)
	for _, p := range e.Params {
		if fs.Lookup(p.Name) != nil || p.Name == "h" || p.Name == "help" {
			return fmt.Errorf("protocol %q: parameter %q: -%s is a flag of check", e.Name, p.Name, p.Name)
		}
	}
	return nil
}

func mutantNames(ms []spec.Mutant) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// runtimeEntry makes d runnable: the target the runtime runs is Build's
// protocol and workload with d's properties, nothing else.
func runtimeEntry[S, M any](d Protocol[S, M], rt *Runtime[S, M]) (*protocols.Entry, error) {
	for _, name := range rt.Expected {
		i := slices.IndexFunc(d.Properties, func(p spec.Property[S, M]) bool { return p.Name == name })
		if i < 0 || d.Properties[i].Kind != spec.Sometimes {
			return nil, fmt.Errorf("protocol %q: Run.Expected names %q, which is not one of its sometimes properties", d.Name, name)
		}
	}
	for name, ts := range rt.Timers {
		if err := ts.Validate(); err != nil {
			return nil, fmt.Errorf("protocol %q: Run.Timers[%q]: %v", d.Name, name, err)
		}
	}
	build := func(params map[string]int, mutant string) (*protocols.Target[S, M], error) {
		p, work, err := d.Build(params, mutant)
		if err != nil {
			return nil, err
		}
		return &protocols.Target[S, M]{
			Name: d.Name, Protocol: p, Work: work, Properties: d.Properties, Expected: rt.Expected,
			Replies: rt.Replies, Servers: rt.Servers, Timers: rt.Timers, Linearizable: rt.Linearizable, Codec: rt.Codec,
		}, nil
	}
	doc := rt.Doc
	if doc == "" {
		doc = "the protocol's workload, checked by replay and by its properties"
	}
	return protocols.NewEntry(d.Name, doc, rt.Timers, build), nil
}

// Course returns the course's protocols — everything in the catalog —
// each runnable where the runtime runs it: what `go run ./cmd/modelcheck`
// serves.
func Course() []Entry {
	var out []Entry
	for _, e := range catalog.All() {
		r, err := protocols.Lookup(e.Name)
		if err != nil {
			r = nil
		}
		out = append(out, Entry{check: e, run: r})
	}
	return out
}

// registry is the protocols one command line serves, by name.
type registry struct {
	entries []Entry
	// course: every protocol of the catalog is served, and with them the
	// course's own commands (hierarchy, generals).
	course bool
}

func newRegistry(entries []Entry) (*registry, error) {
	if len(entries) == 0 {
		return nil, errors.New("no protocol to serve: pass cli.Course() or your own cli.Declare(…)")
	}
	reg := &registry{}
	for _, e := range entries {
		if err := e.Err(); err != nil {
			return nil, err
		}
		if _, err := reg.lookup(e.Name()); err == nil {
			return nil, fmt.Errorf("protocol %q: registered twice (protocol names are unique)", e.Name())
		}
		reg.entries = append(reg.entries, e)
	}
	slices.SortFunc(reg.entries, func(a, b Entry) int { return strings.Compare(a.Name(), b.Name()) })
	reg.course = true
	for _, c := range catalog.All() {
		if !slices.ContainsFunc(reg.entries, func(e Entry) bool { return e.check == c }) {
			reg.course = false
		}
	}
	return reg, nil
}

// find returns the served protocol called name.
func (reg *registry) find(name string) (Entry, bool) {
	for _, e := range reg.entries {
		if e.Name() == name {
			return e, true
		}
	}
	return Entry{}, false
}

// lookup finds a served protocol by name.
func (reg *registry) lookup(name string) (*catalog.Entry, error) {
	if e, ok := reg.find(name); ok {
		return e.check, nil
	}
	return nil, fmt.Errorf("unknown protocol %q (known: %s)", name, reg.names())
}

// all returns the served protocols' catalog entries, by name.
func (reg *registry) all() []*catalog.Entry {
	var out []*catalog.Entry
	for _, e := range reg.entries {
		out = append(out, e.check)
	}
	return out
}

// names lists the served protocols: "a, b, c".
func (reg *registry) names() string {
	var names []string
	for _, e := range reg.entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, ", ")
}

// runnable lists the protocols run serves.
func (reg *registry) runnable() []string {
	var out []string
	for _, e := range reg.entries {
		if e.run != nil {
			out = append(out, e.Name())
		}
	}
	return out
}

// runner finds a runnable protocol by name.
func (reg *registry) runner(name string) (*protocols.Entry, error) {
	if e, ok := reg.find(name); ok && e.run != nil {
		return e.run, nil
	}
	return nil, fmt.Errorf("the runtime cannot run %q (it runs %s)", name, strings.Join(reg.runnable(), ", "))
}

// replay re-executes a trace against the served protocol it names.
func (reg *registry) replay(t *traces.Trace) (*catalog.Replayed, error) {
	if strings.HasPrefix(t.Bounds, catalog.RuntimeBounds) {
		return catalog.Replay(t) // refused, with the reason
	}
	e, err := reg.lookup(t.Protocol)
	if err != nil {
		return nil, fmt.Errorf("trace: field \"protocol\": %w", err)
	}
	return e.Replay(t)
}
