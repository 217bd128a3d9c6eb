package catalog

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spanner"
	"github.com/distsys/distsys/traces"
)

type (
	snState  = spanner.State
	snAction = spanner.Action
)

func init() {
	register(spannerEntry())
	registerClassic(Classic{Name: "spanner-clock-beyond-bound-snapshot", Protocol: "spanner", Flags: "-mutant " + spanner.MutClockBeyondBound, Breaks: spanner.PropMVCCSnapshot,
		Doc: "clocks off by up to ε+1 while TrueTime answers ±ε, with the read-only transaction: R's interval lies wholly below real time, its read is served at once, and T1 then commits at t_r, after the read (course 8.2)"})
}

func spannerEntry() *Entry {
	d := spanner.DefaultParams()
	e := &Entry{
		Name:    "spanner",
		Summary: "Spanner's MVCC snapshots and TrueTime commit wait: two writers, a read-only snapshot, clocks within ±ε of discrete real time",
		Section: "8.2",
		Params: []Param{
			{Name: "eps", Doc: "TrueTime's ε: TT.now() = [clock−ε, clock+ε], every clock reading within ±ε of real time", Default: d.Eps, Min: 1, Max: spanner.MaxEps},
			{Name: "ticks", Doc: "real time runs from 0 to ticks", Default: d.Ticks, Min: spanner.MinTicks, Max: spanner.MaxTicks},
			{Name: "reads", Doc: "T2 reads x (T1's object) under a read lock before it writes y", Default: b2i(d.Reads), Max: 1},
			{Name: "reader", Doc: "the read-only transaction R takes a snapshot of x and y", Default: b2i(d.Reader), Max: 1},
		},
		Mutants: spanner.Mutants,
	}
	for _, name := range []string{spanner.PropExternalConsistency, spanner.PropConsistentSnapshot, spanner.PropMVCCSnapshot,
		spanner.PropCommitWaited, spanner.PropSnapshotAfterDep, spanner.PropSnapshotLeftOut} {
		kind := "always"
		if name == spanner.PropCommitWaited || name == spanner.PropSnapshotAfterDep || name == spanner.PropSnapshotLeftOut {
			kind = "sometimes"
		}
		e.Properties = append(e.Properties, PropertyInfo{Name: name, Kind: kind, Doc: spanner.PropertyDocs[name]})
	}
	e.check = checkSpanner
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		sp, err := newSpanner(t.Params, t.Mutant)
		if err != nil {
			return nil, err
		}
		return replayPath(sp, spannerProps(sp), t, 0, func(p explore.Path[snState, snAction], v *Verdict) *traces.Trace {
			return spannerTrace(sp, rep, p, v)
		})
	}
	return e
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func newSpanner(params map[string]int, mutant string) (*spanner.Spec, error) {
	return spanner.New(spanner.Params{Eps: params["eps"], Ticks: params["ticks"], Reads: params["reads"] == 1, Reader: params["reader"] == 1, Mutant: mutant})
}

// spannerProps are the properties a check of sp evaluates: without the
// reader, those about its snapshot are left out.
func spannerProps(sp *spanner.Spec) []explore.Property[snState, snAction] {
	all := []explore.Property[snState, snAction]{
		explore.Invariant[snState, snAction](spanner.PropExternalConsistency, sp.ExternalConsistency),
		explore.Invariant[snState, snAction](spanner.PropConsistentSnapshot, sp.ConsistentSnapshot),
		explore.Invariant[snState, snAction](spanner.PropMVCCSnapshot, sp.MVCCSnapshot),
		explore.Reachable[snState, snAction](spanner.PropCommitWaited, sp.CommitWaited),
		explore.Reachable[snState, snAction](spanner.PropSnapshotAfterDep, sp.SnapshotAfterDependency),
		explore.Reachable[snState, snAction](spanner.PropSnapshotLeftOut, sp.SnapshotLeftOutNewer),
	}
	if sp.Params().Reader {
		return all
	}
	return slices.DeleteFunc(all, func(p explore.Property[snState, snAction]) bool {
		return slices.Contains(spanner.SnapshotProps, p.Name)
	})
}

func checkSpanner(r Run, rep *Report) error {
	sp, err := newSpanner(r.Params, r.Mutant)
	if err != nil {
		return err
	}
	props := spannerProps(sp)
	if !sp.Params().Reader {
		for _, p := range props {
			rep.Checked = append(rep.Checked, p.Name)
		}
		for _, name := range spanner.SnapshotProps {
			kind := "always"
			if name == spanner.PropSnapshotAfterDep || name == spanner.PropSnapshotLeftOut {
				kind = "sometimes"
			}
			rep.Omitted = append(rep.Omitted, Omission{Property: name, Kind: kind, Reason: "no read-only transaction to take a snapshot; -reader 1 to include"})
		}
	}
	res, err := explore.Check[snState, snAction](sp, props, r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = fmt.Sprintf("closed transition system (real time 0..%d, clock errors ±%d, TrueTime ε = %d)", sp.Params().Ticks, sp.ClockError(), sp.Params().Eps),
		"real-time order of the writers, commit waited"
	fill(rep, res, r.Options)
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = spannerTrace(sp, rep, v.Path, nil)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = spannerTrace(sp, rep, v.Path, &verdict)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// spannerTrace draws an execution with real time, T1, T2 and R as
// nodes, each step on the node that takes it (a tick on real time); the
// labels carry the TrueTime readings and the versions read.
func spannerTrace(sp *spanner.Spec, rep *Report, path explore.Path[snState, snAction], v *Verdict) *traces.Trace {
	const clock = 0
	t := header(rep, []string{"real time", "T1", "T2", "R"}, nil, v)
	for i, st := range path.Steps {
		a := st.Action
		e := traces.Event{ID: len(t.Events), Step: i + 1, Action: st.Label, Edge: st.Edge, Kind: traces.KindStep, Node: clock, Peer: -1, Cause: -1}
		if a.Kind != spanner.Tick {
			e.Node = int(a.Txn) + 1
		}
		e.State = sp.Describe(st.State, int(a.Txn))
		if a.Kind == spanner.Tick {
			e.State = fmt.Sprintf("real time %d", st.State.Now)
		}
		t.Events = append(t.Events, e)
	}
	t.Stamp()
	return t
}
