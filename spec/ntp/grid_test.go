package ntp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/ntp"
)

// Each row explores one grid exhaustively: pinned figures, the
// properties violated (with the length of the shortest counterexample),
// and every sometimes property reached.
var gridRows = []struct {
	p        ntp.Params
	violated map[string]int
	want     pinned
}{
	// The grid is a tree: with o offsets, r drifts, d delays and p
	// processing times, 1 + o + 2·o·r + o·r·d + o·r·d·p + 4·o·r·d·p·d
	// states (four phases after the reply: received, corrected, two
	// readings).
	{ntp.DefaultParams(), nil, pinned{1251, 1251, 9}},
	{ntp.Params{}, nil, pinned{46, 46, 9}},
	{ntp.Params{DelayMillis: 1}, nil, pinned{116, 116, 9}},
	{ntp.Params{DelayMillis: 4, ProcMillis: 4, DriftPPM: 1000}, nil, pinned{3261, 3261, 9}},
	{ntp.Params{DelayMillis: 2, ProcMillis: 1, DriftPPM: 200, Mutant: "cristian-offset"}, map[string]int{ntp.PropErrorWithinHalfDelay: 6}, pinned{1251, 1251, 9}},
	{ntp.Params{DelayMillis: 2, ProcMillis: 1, DriftPPM: 200, Mutant: "step-monotonic"}, map[string]int{ntp.PropMonotonic: 7}, pinned{1251, 1251, 9}},
}

type pinned struct {
	states, transitions int64
	depth               int
}

func TestGridVerdicts(t *testing.T) {
	for _, row := range gridRows {
		t.Run(fmt.Sprintf("%+v", row.p), func(t *testing.T) {
			g, res := check(t, row.p)
			// With no delay the error bound of half the delay is never
			// tight: there is nothing to halve.
			var unreached []string
			if row.p.DelayMillis == 0 {
				unreached = append(unreached, ntp.PropBoundTight)
			}
			modeltest.WantVerdict(t, g, res, row.violated, unreached...)
			st := res.Stats
			if got := (pinned{st.States, st.Transitions, st.MaxDepth}); got != row.want {
				t.Errorf("got %+v, pinned %+v", got, row.want)
			}
		})
	}
}

func TestMutantsAreCaught(t *testing.T) {
	for _, m := range ntp.Mutants {
		found := false
		for _, row := range gridRows {
			if row.p.Mutant == m.Name {
				_, found = row.violated[m.Breaks]
			}
		}
		if !found || m.Doc == "" || ntp.PropertyDocs[m.Breaks] == "" {
			t.Errorf("mutant %s: no row breaking %s, no doc, or an unknown property", m.Name, m.Breaks)
		}
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		p     ntp.Params
		field string
	}{
		{ntp.Params{DelayMillis: -1}, "DelayMillis = -1"},
		{ntp.Params{DelayMillis: ntp.MaxDelayMillis + 1}, "DelayMillis = 5"},
		{ntp.Params{ProcMillis: 9}, "ProcMillis = 9"},
		{ntp.Params{DriftPPM: 2000}, "DriftPPM = 2000"},
		{ntp.Params{Mutant: "no-such"}, `Mutant = "no-such"`},
	} {
		if _, err := ntp.New(c.p); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", c.p, err, c.field)
		}
	}
}

// Labels of one state's steps are distinct, so traces replay by label.
func TestLabelsAreDistinct(t *testing.T) {
	g, _ := ntp.New(ntp.DefaultParams())
	var walk func(s ntp.State)
	walk = func(s ntp.State) {
		seen := map[string]bool{}
		g.Next(s, func(a ntp.Action, next ntp.State, _ bool) {
			l := g.Label(s, a)
			if seen[l] {
				t.Fatalf("label %q twice", l)
			}
			seen[l] = true
			if s.Phase() < ntp.Received { // the later phases do not branch
				walk(next)
			}
		})
	}
	walk(g.Init()[0])
}
