package model_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/byzantine"
	"github.com/distsys/distsys/spec/replica"
	"github.com/distsys/distsys/spec/spectest"
)

// hello is a test protocol of n nodes (0: three) whose Start and Recover
// steps send: a node greets every other node when it starts and when it
// recovers, and records who greeted it (volatile: a crash forgets it).
type hello struct{ n int }

type helloState struct {
	id    spec.NodeID
	heard uint8 // bit j: node j greeted this node
}

type helloMsg struct{}

func (hello) Init(id spec.NodeID) helloState            { return helloState{id: id} }
func (hello) Crash(s helloState) helloState             { return helloState{id: s.id} }
func (hello) TimerName(spec.Timer) string               { return "none" }
func (hello) FormatState(s helloState) string           { return fmt.Sprintf("n%d heard %03b", s.id, s.heard) }
func (hello) FormatMsg(helloMsg) string                 { return "hello" }
func (hello) AppendMsg(b []byte, _ helloMsg) []byte     { return append(b, 'h') }
func (hello) AppendState(b []byte, s helloState) []byte { return append(b, byte(s.id), s.heard) }

// Nodes is n, or three.
func (h hello) Nodes() int {
	if h.n == 0 {
		return 3
	}
	return h.n
}

func (h hello) Step(s helloState, in spec.Input[helloMsg]) (helloState, []spec.Output[helloMsg]) {
	switch in.Kind {
	case spec.Start, spec.Recover:
		var outs []spec.Output[helloMsg]
		for j := range spec.NodeID(h.Nodes()) {
			if j != s.id {
				outs = append(outs, spec.SendTo(j, helloMsg{}))
			}
		}
		return s, outs
	case spec.Receive:
		s.heard |= 1 << in.From
	}
	return s, nil
}

func TestHelloStepIsPure(t *testing.T) {
	spectest.Pure[helloState, helloMsg](t, hello{}, nil, 20)
}

// Reference: Config.CrashMidStep, "for every k below its number of sends",
// and Init: the Start steps are node steps too, and as nothing precedes
// them, their cut variants are initial worlds — one per combination of
// Start steps cut, at most the crash budget of them. Model.Start tells
// what each node's Start step did in each.
func TestCrashMidStepCutsTheStartSteps(t *testing.T) {
	// 3 nodes, each Start sends 2: cut at 0 or 1 send, or not cut.
	for _, c := range []struct {
		cfg   model.Config
		inits int
	}{
		{model.Config{Crashes: 2}, 1},
		{model.Config{CrashMidStep: true}, 1},
		{model.Config{Crashes: 1, CrashMidStep: true}, 1 + 3*2},
		{model.Config{Crashes: 2, CrashMidStep: true}, 1 + 3*2 + 3*2*2},
		{model.Config{Crashes: 3, CrashMidStep: true, CrashMode: model.CrashRecover}, 1 + 3*2 + 3*2*2 + 2*2*2},
	} {
		m, err := model.New[helloState, helloMsg](hello{}, c.cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		inits := m.Init()
		if len(inits) != c.inits {
			t.Errorf("%v: %d initial worlds, want %d", c.cfg, len(inits), c.inits)
		}
		seen := map[uint64]bool{}
		for k, w := range inits {
			if seen[m.Fingerprint(w)] {
				t.Errorf("%v: initial world %d twice", c.cfg, k)
			}
			seen[m.Fingerprint(w)] = true
			_, _, crashes := w.Spent()
			down := 0
			for i := range spec.NodeID(3) {
				outs, crashed := m.Start(w, i)
				sent := 0
				w.InFlight(func(from, _ spec.NodeID, _ helloMsg) {
					if from == i {
						sent++
					}
				})
				if crashed == w.Up(i) || crashed == w.Correct(i) || len(outs) != sent || !crashed && sent != 2 {
					t.Errorf("%v: init %d, n%d: up %v, %d sends in flight, Start says %d outputs, crashed %v",
						c.cfg, k, i, w.Up(i), sent, len(outs), crashed)
				}
				if crashed {
					down++
				}
			}
			if down != crashes || (k == 0) != (down == 0) {
				t.Errorf("%v: init %d: %d nodes cut, %d crashes spent", c.cfg, k, down, crashes)
			}
		}
	}
	// The whole space: each node greets the others, and, with crashes
	// mid-step, its Start may be cut. Under crash-stop, worlds where a
	// node crashed before greeting anyone are reached only through a cut
	// Start.
	whole := func(cfg model.Config) int64 {
		m, err := model.New[helloState, helloMsg](hello{}, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := explore.Check(m, nil, explore.Options{Workers: 1})
		if err != nil || res.Status != explore.OK {
			t.Fatalf("%v: %v %v", cfg, res.Status, err)
		}
		return res.Stats.States
	}
	if got, want := whole(model.Config{Crashes: 1}), int64(496); got != want {
		t.Errorf("crash-stop, 1 crash: %d states, pinned %d", got, want)
	}
	if got, want := whole(model.Config{Crashes: 1, CrashMidStep: true}), int64(640); got != want {
		t.Errorf("crash-stop, 1 crash mid-step: %d states, pinned %d", got, want)
	}
}

// Reference: Next, "each node step is followed by its variants cut short
// by a crash", with no exception: in every world of the space, every node
// step (delivery, timer, request, choice, recovery) that sends k messages
// has exactly k cut variants while crash budget is left, and none after.
func TestEveryNodeStepIsCut(t *testing.T) {
	cuts := 0
	for _, cfg := range []model.Config{
		{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true},
		{Crashes: 3, CrashMidStep: true, Drops: 1},
	} {
		m, err := model.New[helloState, helloMsg](hello{}, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		cuts += everyStepCut(t, m, cfg)
		p, err := model.New[pingState, pingMsg](ping{n: 2}, cfg, pingWork(), nil)
		if err != nil {
			t.Fatal(err)
		}
		cuts += everyStepCut(t, p, cfg)
		f, err := model.New[fanState, fanMsg](fan{picky: true}, cfg, fanWork, nil)
		if err != nil {
			t.Fatal(err)
		}
		cuts += everyStepCut(t, f, cfg)
	}
	if cuts == 0 {
		t.Fatal("no recovery was cut: the test does not test")
	}
}

// everyStepCut walks m's space and fails where a node step's cut variants
// are not one per send, while budget is left; it returns how many cut
// recoveries it saw.
func everyStepCut[S, M any](t *testing.T, m *model.Model[S, M], cfg model.Config) (recoveries int) {
	t.Helper()
	seen := map[uint64]bool{}
	stack := m.Init()
	for len(stack) > 0 {
		w := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[m.Fingerprint(w)] {
			continue
		}
		seen[m.Fingerprint(w)] = true
		type step struct {
			kind        model.ActionKind
			node, index int
		}
		want, got := map[step]int{}, map[step]int{}
		_, _, spent := w.Spent()
		for _, e := range explore.Edges[*model.World[S, M], model.Action](m, w, nil) {
			stack = append(stack, e.State)
			a := e.Action
			s := step{a.Kind, int(a.Node), a.Index}
			if a.Cut > 0 {
				got[s]++
				if a.Cut > got[s] || !e.Fault {
					t.Fatalf("%v: %q: cut %d out of order, fault %v", cfg, m.Label(w, a), a.Cut, e.Fault)
				}
				if _, _, c := e.State.Spent(); c != spent+1 || e.State.Up(a.Node) || e.State.Correct(a.Node) {
					t.Fatalf("%v: %q: the node is not down with one more crash", cfg, m.Label(w, a))
				}
				if a.Kind == model.Recover {
					recoveries++
				}
				continue
			}
			switch a.Kind {
			case model.Deliver, model.Fire, model.Issue, model.Choose, model.Recover:
			default:
				continue
			}
			info := m.Explain(w, a)
			if info.Lost || !cfg.CrashMidStep || spent >= cfg.Crashes {
				continue
			}
			for _, o := range info.Outputs {
				if o.Kind == spec.Send {
					want[s]++
				}
			}
		}
		for s, n := range want {
			if got[s] != n {
				t.Fatalf("%v: %v of n%d (%d) sends %d, cut %d times", cfg, s.kind, s.node, s.index, n, got[s])
			}
		}
		for s, n := range got {
			if want[s] != n {
				t.Fatalf("%v: %v of n%d (%d) cut %d times, sends %d", cfg, s.kind, s.node, s.index, n, want[s])
			}
		}
	}
	return recoveries
}

// Reference: issue 16. Replica's recovery sends its store to every peer
// (a restart round). With two crashes mid-step, n0 may write and crash
// before sending, recover, and crash again after sending its store to n1
// but not n2: a world only a cut recovery reaches. Without ghost state
// the space has 17,524 worlds; before recoveries were cut, 17,480.
func TestCrashMidStepCutsARecovery(t *testing.T) {
	p := replica.DefaultParams()
	p.N, p.Writes, p.Retries = 3, [replica.MaxNodes]int{1, 0, 0}, 0
	proto, err := replica.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, model.Config{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true}, proto.Workload(), nil)
	if err != nil {
		t.Fatal(err)
	}
	path, err := explore.ReplayLabels(m, 0, []string{"request n0 put ✗ n0 crashes after 0 sends", "recover n0 ✗ n0 crashes after 1 send"})
	if err != nil {
		t.Fatal(err)
	}
	w := path.Last()
	var to []spec.NodeID
	w.InFlight(func(from, dst spec.NodeID, _ replica.Msg) {
		if from == 0 {
			to = append(to, dst)
		}
	})
	if _, _, c := w.Spent(); w.Up(0) || c != 2 || len(to) != 1 || to[0] != 1 || w.InFlightCount() != 1 {
		t.Errorf("after the cut recovery: n0 up %v, %d crashes, n0 sent to %v, %d in flight", w.Up(0), c, to, w.InFlightCount())
	}
	if info := m.Explain(path.Steps[0].State, path.Steps[1].Action); !info.Crashed || len(info.Outputs) != 1 {
		t.Errorf("explained: crashed %v, outputs %v", info.Crashed, info.Outputs)
	}
	res, err := explore.Check(m, nil, explore.Options{Workers: 2})
	if err != nil || res.Status != explore.OK {
		t.Fatalf("%v %v", res.Status, err)
	}
	if res.Stats.States != 17524 || res.Stats.Transitions != 62285 {
		t.Errorf("%d states, %d transitions; pinned 17,524 and 62,285", res.Stats.States, res.Stats.Transitions)
	}
}

// mute is OM(1) whose traitor can forge nothing; it counts the Steps the
// traitor takes.
type mute struct {
	*byzantine.Protocol
	traitor spec.NodeID
	steps   *atomic.Int64
}

func (p mute) Forgeries(from, to spec.NodeID) []byzantine.Msg { return nil }

func (p mute) Step(s byzantine.State, in spec.Input[byzantine.Msg]) (byzantine.State, []spec.Output[byzantine.Msg]) {
	if s.Me == p.traitor {
		p.steps.Add(1)
	}
	return p.Protocol.Step(s, in)
}

// Reference: Config.Byzantine, "such a node runs no Step" — whatever its
// forgery domain, empty included. A traitorous lieutenant that may forge
// nothing is silent: 101 worlds, not the 251 of four loyal generals (the
// traitor relaying like a loyal lieutenant, as it did before issue 16).
func TestByzantineNodeWithNothingToForgeRunsNoStep(t *testing.T) {
	proto, err := byzantine.New(byzantine.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for tr := spec.NodeID(1); tr < 4; tr++ {
		p := mute{Protocol: proto, traitor: tr, steps: new(atomic.Int64)}
		m, err := model.New[byzantine.State, byzantine.Msg](p, model.Config{Byzantine: 1 << tr}, proto.Workload(), byzantine.Properties())
		if err != nil {
			t.Fatal(err)
		}
		res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != explore.OK || res.Stats.States != 101 {
			t.Errorf("traitor n%d: %v, %d states; want OK, 101", tr, res.Status, res.Stats.States)
		}
		if n := p.steps.Load(); n != 0 {
			t.Errorf("traitor n%d with nothing to forge ran Step %d times", tr, n)
		}
		// A message to it is read, not processed: the label says so.
		path, err := explore.ReplayLabels(m, 0, []string{"request n0 " + proto.FormatMsg(proto.Workload()[0].Choices[0])})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range explore.Edges[*model.World[byzantine.State, byzantine.Msg], model.Action](m, path.Last(), nil) {
			if e.Action.Kind == model.Deliver && e.Action.Node == tr {
				found = true
				if l := m.Label(path.Last(), e.Action); !strings.HasSuffix(l, fmt.Sprintf("(read by byzantine n%d)", tr)) {
					t.Errorf("label %q", l)
				}
				if info := m.Explain(path.Last(), e.Action); !info.Lost || len(info.Outputs) != 0 {
					t.Errorf("explained %+v", info)
				}
			}
		}
		if !found {
			t.Errorf("traitor n%d: no delivery to it after the order", tr)
		}
	}
}
