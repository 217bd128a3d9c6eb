package catalog

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/distsys/distsys/explore"

	"github.com/distsys/distsys/model"
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

// Apply sets the parameters, mutant and system model that flags give
// ("-n 3 -w 1 -mutant read-lowest -crashes 1 -crash-mode recover
// -crash-mid-step -strategy random -seed 1"), the way modelcheck reads
// them: "-name value", "-name=value", or a bare "-crash-mid-step". Search
// flags (strategy, seed, max-depth, walks, timeout) go into Options.
func (e *Entry) Apply(flags string, r *Run) error {
	if r.Params == nil {
		r.Params = map[string]int{}
	}
	f := strings.Fields(flags)
	for i := 0; i < len(f); i++ {
		name, val, hasVal := strings.Cut(strings.TrimLeft(f[i], "-"), "=")
		if !hasVal {
			if name == "crash-mid-step" || name == "partial-sync" {
				val = "true"
			} else if i+1 < len(f) {
				i++
				val = f[i]
			} else {
				return fmt.Errorf("%q: -%s needs a value", flags, name)
			}
		}
		var err error
		switch name {
		case "mutant":
			r.Mutant = val
		case "strategy":
			r.Options.Strategy, err = explore.ParseStrategy(val)
		case "seed":
			r.Options.Seed, err = strconv.ParseUint(val, 10, 64)
		case "max-depth":
			r.Options.MaxDepth, err = strconv.Atoi(val)
		case "walks":
			r.Options.Walks, err = strconv.ParseInt(val, 10, 64)
		case "timeout":
			r.Options.Timeout, err = time.ParseDuration(val)
		case "crash-mid-step":
			r.Model.CrashMidStep, err = strconv.ParseBool(val)
		case "partial-sync":
			r.Model.PartialSync, err = strconv.ParseBool(val)
		case "byzantine":
			r.Model.Byzantine, err = model.ParseNodeSet(val)
		case "network":
			r.Model.Network, err = model.ParseNetwork(val)
		case "crash-mode":
			r.Model.CrashMode, err = model.ParseCrashMode(val)
		case "drops", "dups", "crashes":
			var n int
			n, err = strconv.Atoi(val)
			switch name {
			case "drops":
				r.Model.Drops = n
			case "dups":
				r.Model.Dups = n
			default:
				r.Model.Crashes = n
			}
		default:
			p, ok := e.Param(name)
			if !ok {
				return fmt.Errorf("%s has no flag -%s", e.Name, name)
			}
			r.Params[name], err = p.Parse(val)
		}
		if err != nil {
			return fmt.Errorf("-%s %s: %w", name, val, err)
		}
	}
	return nil
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
