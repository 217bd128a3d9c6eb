package catalog

import (
	"fmt"
	"maps"
	"strings"
)

// Classic is a counterexample the checker must keep finding: a mutant of a
// protocol, or a configuration the course shows to be broken.
type Classic struct {
	// Name identifies it (and its saved trace file).
	Name     string
	Doc      string
	Protocol string
	// Flags are the check settings, as modelcheck flags.
	Flags string
	// Breaks is the property it violates.
	Breaks string
}

// extraClassics are broken configurations of correct protocols, registered
// by each protocol's file with registerClassic.
var extraClassics []Classic

func registerClassic(c Classic) { extraClassics = append(extraClassics, c) }

// Classics lists every mutant of every protocol (with the settings that
// show it) and the broken configurations of correct protocols.
func Classics() []Classic {
	var out []Classic
	for _, e := range All() {
		for _, m := range e.Mutants {
			if m.Beyond != "" {
				continue // shown by a scenario test, not by a bounded check
			}
			flags := strings.TrimSpace("-mutant " + m.Name + " " + m.Shows)
			out = append(out, Classic{Name: e.Name + "-" + m.Name, Doc: m.Doc, Protocol: e.Name, Flags: flags, Breaks: m.Breaks})
		}
	}
	return append(out, extraClassics...)
}

// Run builds the check run of a classic.
func (c Classic) Run() (*Entry, Run, error) {
	e, err := Lookup(c.Protocol)
	if err != nil {
		return nil, Run{}, err
	}
	r, err := e.DefaultRun()
	if err != nil {
		return nil, Run{}, err
	}
	if err := e.Apply(c.Flags, &r); err != nil {
		return nil, Run{}, fmt.Errorf("classic %s: %w", c.Name, err)
	}
	return e, r, nil
}

// DefaultRun is the run a check without flags makes: default parameters
// under the protocol's DefaultModel.
func (e *Entry) DefaultRun() (Run, error) {
	r := Run{Params: map[string]int{}}
	if err := e.Apply(e.DefaultModel, &r); err != nil {
		return Run{}, fmt.Errorf("%s: default model %q: %w", e.Name, e.DefaultModel, err)
	}
	return r, nil
}

// hasSettings reports whether run r already has every setting that flags
// give: applying them to it changes nothing.
func (e *Entry) hasSettings(flags string, r Run) bool {
	x := r
	x.Params = maps.Clone(r.Params)
	if err := e.Apply(flags, &x); err != nil {
		return false
	}
	a, b := x.Options, r.Options
	return maps.Equal(x.Params, r.Params) && x.Model == r.Model && x.Mutant == r.Mutant &&
		a.Strategy == b.Strategy && a.Seed == b.Seed && a.Walks == b.Walks && a.MaxDepth == b.MaxDepth &&
		a.MaxStates == b.MaxStates && a.Timeout == b.Timeout
}
