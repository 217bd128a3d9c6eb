package replica_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/replica"
)

// system is a system model with a short name for test names.
type system struct {
	name string
	cfg  model.Config
}

var (
	reliable  = system{"reliable", model.Config{}}
	drop1     = system{"drop1", model.Config{Drops: 1}}
	drop2     = system{"drop2", model.Config{Drops: 2}}
	dup1      = system{"dup1", model.Config{Dups: 1}}
	crashStop = system{"crash-stop", model.Config{Crashes: 1, CrashMode: model.CrashStop}}
	crashRec  = system{"crash-recover", model.Config{Crashes: 1, CrashMode: model.CrashRecover}}
)

// params builds Params from a store, the writes of each replica (their
// number is N), the resends per write and node 0's clock skew.
func params(s replica.Store, writes []int, retries, skew int) replica.Params {
	p := replica.Params{Store: s, N: len(writes), Retries: retries, Skew: skew}
	copy(p.Writes[:], writes)
	return p
}

// verdictRows are checks of each store: the properties not listed hold,
// those listed are violated, with the length of the shortest
// counterexample. Each row is one search that keeps going after a
// violation.
var verdictRows = []struct {
	p        replica.Params
	sys      system
	violated map[string]int
	want     pinned
}{
	{params(replica.Naive, []int{1, 1}, 1, 0), reliable, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{914, 1425, 8}},
	{params(replica.Naive, []int{1, 1}, 1, 0), drop1, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{1754, 3547, 8}},
	{params(replica.Naive, []int{1, 1}, 1, 0), dup1, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{4707, 8210, 8}},
	{params(replica.Naive, []int{1, 1}, 1, 0), crashStop, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{3243, 5575, 8}},
	{params(replica.Naive, []int{1, 1}, 1, 0), crashRec, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{13427, 20488, 8}},
	{params(replica.Naive, []int{2, 1}, 1, 0), reliable, map[string]int{"convergence": 10, "no-causal-loss": 10}, pinned{39314, 69609, 10}},
	{params(replica.Naive, []int{1, 1, 0}, 1, 0), reliable, map[string]int{"convergence": 12, "no-causal-loss": 12}, pinned{16953, 52417, 12}},
	{params(replica.LWW, []int{1, 1}, 1, 0), reliable, nil, pinned{857, 1401, 8}},
	{params(replica.LWW, []int{1, 1}, 1, 0), drop1, nil, pinned{1685, 3505, 8}},
	{params(replica.LWW, []int{1, 1}, 1, 0), drop2, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{1997, 4521, 8}},
	{params(replica.LWW, []int{1, 1}, 1, 0), dup1, nil, pinned{5973, 11909, 10}},
	{params(replica.LWW, []int{1, 1}, 1, 0), crashStop, nil, pinned{3499, 6467, 9}},
	{params(replica.LWW, []int{1, 1}, 1, 0), crashRec, nil, pinned{42845, 87757, 12}},
	{params(replica.LWW, []int{1, 1}, 0, 0), reliable, nil, pinned{41, 49, 4}},
	{params(replica.LWW, []int{1, 1}, 0, 0), drop1, map[string]int{"convergence": 4, "no-causal-loss": 4}, pinned{69, 93, 4}},
	{params(replica.LWW, []int{1, 1}, 2, 0), drop2, nil, pinned{48537, 170345, 12}},
	{params(replica.LWW, []int{2, 1}, 1, 0), reliable, nil, pinned{35193, 77921, 12}},
	{params(replica.LWW, []int{1, 1, 0}, 1, 0), reliable, nil, pinned{11601, 38917, 12}},
	{params(replica.LWW, []int{1, 1, 1}, 0, 0), reliable, nil, pinned{4377, 10591, 9}},
	{params(replica.Physical, []int{1, 1}, 1, 0), reliable, nil, pinned{857, 1401, 8}},
	{params(replica.Physical, []int{1, 1}, 1, 1), reliable, nil, pinned{857, 1401, 8}},
	{params(replica.Physical, []int{1, 1}, 1, 2), reliable, map[string]int{"no-causal-loss": 8}, pinned{857, 1401, 8}},
	{params(replica.Physical, []int{1, 1}, 1, 2), drop1, map[string]int{"no-causal-loss": 8}, pinned{1685, 3505, 8}},
	{params(replica.Physical, []int{1, 1}, 1, 2), dup1, map[string]int{"no-causal-loss": 8}, pinned{5973, 11909, 10}},
	{params(replica.Physical, []int{1, 1}, 1, 2), crashRec, map[string]int{"no-causal-loss": 8}, pinned{42845, 87757, 12}},
	{params(replica.Physical, []int{1, 1}, 1, 3), reliable, map[string]int{"no-causal-loss": 8}, pinned{857, 1401, 8}},
	{params(replica.MV, []int{1, 1}, 1, 0), reliable, nil, pinned{857, 1401, 8}},
	{params(replica.MV, []int{1, 1}, 1, 0), drop1, nil, pinned{1685, 3505, 8}},
	{params(replica.MV, []int{1, 1}, 1, 0), drop2, map[string]int{"convergence": 8, "maximal-versions": 8, "no-causal-loss": 8}, pinned{1997, 4521, 8}},
	{params(replica.MV, []int{1, 1}, 1, 0), dup1, nil, pinned{5973, 11909, 10}},
	{params(replica.MV, []int{1, 1}, 1, 0), crashStop, nil, pinned{3499, 6467, 9}},
	{params(replica.MV, []int{1, 1}, 1, 0), crashRec, nil, pinned{42845, 87757, 12}},
	{params(replica.MV, []int{2, 1}, 1, 0), reliable, nil, pinned{35193, 77921, 12}},
	{params(replica.MV, []int{1, 1, 0}, 1, 0), reliable, nil, pinned{11601, 38917, 12}},
	{params(replica.MV, []int{1, 1, 1}, 0, 0), reliable, nil, pinned{4377, 10591, 9}},
}

func TestEachStoreKeepsItsGuaranteesAndBreaksTheOthers(t *testing.T) {
	t.Parallel()
	for _, row := range verdictRows {
		p := row.p
		name := fmt.Sprintf("%s/writes=%v/retries=%d/skew=%d/%s", p.Store, p.Writes[:p.N], p.Retries, p.Skew, row.sys.name)
		t.Run(name, func(t *testing.T) {
			m, res := check(t, p, row.sys.cfg)
			wantVerdict(t, m, res, row.violated)
			if len(row.violated) == 0 {
				for _, g := range p.Store.Guarantees() {
					if !slices.Contains(p.Store.Checked(), g) {
						t.Errorf("%s guarantees %s but does not check it", p.Store, g)
					}
				}
			}
			wantPinned(t, res, row.want)
		})
	}
}

// Every mutant is caught on the default parameters under the settings its
// Shows names, with the property it names, and its counterexample
// replays.
func TestMutantsAreCaught(t *testing.T) {
	t.Parallel()
	setting := map[string]struct {
		store    replica.Store
		len      int
		violated map[string]int // all it breaks, mu.Breaks among them
		want     pinned
	}{
		"no-tombstone":  {replica.LWW, 8, map[string]int{"convergence": 8, "no-causal-loss": 8}, pinned{857, 1401, 8}},
		"restamp-retry": {replica.LWW, 8, map[string]int{"no-causal-loss": 8}, pinned{865, 1405, 8}},
		"accept-older":  {replica.LWW, 3, map[string]int{"convergence": 8, "no-causal-loss": 8, "no-older-overwrite": 3}, pinned{933, 1433, 8}},
		"mv-keep-all":   {replica.MV, 8, map[string]int{"convergence": 8, "maximal-versions": 8, "no-causal-loss": 8}, pinned{857, 1401, 8}},
	}
	for _, mu := range replica.Mutants {
		t.Run(mu.Name, func(t *testing.T) {
			s, ok := setting[mu.Name]
			if !ok {
				t.Fatalf("no setting for mutant %s", mu.Name)
			}
			p := replica.DefaultParams()
			p.Store, p.Mutant = s.store, mu.Name
			m, res := check(t, p, model.Config{})
			if v := modeltest.Counterexample(t, res, mu.Breaks); v.Path.Len() != s.len {
				t.Errorf("%s violated in %d steps, want %d", mu.Breaks, v.Path.Len(), s.len)
			}
			wantVerdict(t, m, res, s.violated)
			wantPinned(t, res, s.want)
		})
	}
}

// oneWriter is what each store violates with one replica writing twice:
// the naive store, whose replicas take whatever arrives last, ends with an
// older write after a newer one.
var oneWriter = map[replica.Store]map[string]int{
	replica.Naive: {"convergence": 6, "no-causal-loss": 6},
}

// With one replica writing, the witnesses are out of reach by construction,
// as Params.Unreachable says (the catalog leaves them out of such a run);
// with two, none is.
func TestUnreachableNamesExactlyTheWitnessesOneWriterMisses(t *testing.T) {
	t.Parallel()
	for _, s := range replica.Stores() {
		p := params(s, []int{2, 0}, 1, 0)
		m, res := check(t, p, model.Config{})
		if len(p.Unreachable()) == 0 {
			t.Errorf("%s with one writer: Unreachable says none", s)
		}
		wantVerdict(t, m, res, oneWriter[s], p.Unreachable()...)
		if u := params(s, []int{0, 1, 1}, 1, 0).Unreachable(); u != nil {
			t.Errorf("%s with two writers: Unreachable says %v", s, u)
		}
	}
}
