package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxos"
	"github.com/distsys/distsys/traces"
)

type (
	pxState  = paxos.State
	pxAction = paxos.Action
)

func init() { register(paxosEntry()) }

func paxosEntry() *Entry {
	e := &Entry{
		Name:    "paxos",
		Summary: "Paxos consensus, state for state Lamport's TLA+ Paxos (defaults: MCPaxosTiny.cfg)",
		Section: "6.1",
		Params: []Param{
			{Name: "acceptors", Doc: "acceptors (quorums: every set of ⌊n/2⌋+1)", Default: 3, Min: 1, Max: paxos.MaxAcceptors},
			{Name: "values", Doc: "values that may be proposed", Default: 2, Min: 1, Max: paxos.MaxValues},
			{Name: "maxballot", Doc: "ballots are 0..maxballot (MCPaxosSmall.cfg: 2)", Default: 1, Min: 0, Max: paxos.MaxBallot},
		},
		Properties: []PropertyInfo{
			{paxos.PropAgreement, "always", "at most one value is chosen"},
			{paxos.PropInv, "always", "Lamport's inductive invariant Inv of Paxos.tla (TypeOK, votes backed by 2b messages, every 2a shown safe)"},
			{paxos.PropChosen, "sometimes", "a value is chosen"},
		},
		Mutants:  paxos.Mutants,
		Symmetry: "the acceptors",
	}
	e.check = checkPaxos
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		sp, err := newPaxos(t.Params, t.Mutant)
		if err != nil {
			return nil, err
		}
		return replayPath(sp, paxosProps(sp), t, 0, func(p explore.Path[pxState, pxAction], v *Verdict) *traces.Trace {
			return paxosTrace(sp, rep, p, v)
		})
	}
	return e
}

func newPaxos(params map[string]int, mutant string) (*paxos.Spec, error) {
	return paxos.New(params["acceptors"], params["values"], params["maxballot"], mutant)
}

func paxosProps(sp *paxos.Spec) []explore.Property[pxState, pxAction] {
	return []explore.Property[pxState, pxAction]{
		explore.Invariant[pxState, pxAction](paxos.PropAgreement, sp.Agreement),
		explore.Invariant[pxState, pxAction](paxos.PropInv, sp.Inv),
		explore.Reachable[pxState, pxAction](paxos.PropChosen, sp.Chosen),
	}
}

func checkPaxos(r Run, rep *Report) error {
	sp, err := newPaxos(r.Params, r.Mutant)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = "closed transition system (TLA+ Paxos)", "none"
	if r.Symmetry {
		sp = sp.Symmetric()
		rep.Model += "; symmetry: one state per orbit of the acceptors"
	}
	res, err := explore.Check[pxState, pxAction](sp, paxosProps(sp), r.Options)
	if err != nil {
		return err
	}
	fill(rep, res, r.Options)
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = paxosTrace(sp, rep, v.Path, nil)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = paxosTrace(sp, rep, v.Path, &verdict)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// paxosTrace draws a Paxos execution with the leader of each ballot
// (L0, L1, ...) and each acceptor as a node: Phase1a and Phase2a send from
// the ballot's leader to every acceptor, an acceptor's Phase1b and Phase2b
// receive the message they act on and answer the ballot's leader.
func paxosTrace(sp *paxos.Spec, rep *Report, path explore.Path[pxState, pxAction], v *Verdict) *traces.Trace {
	leaders := sp.MaxBallot() + 1
	var nodes []string
	for b := range leaders {
		nodes = append(nodes, fmt.Sprintf("L%d", b))
	}
	for a := range sp.Acceptors() {
		nodes = append(nodes, fmt.Sprintf("a%d", a+1))
	}
	t := header(rep, nodes, nil, v)
	sent1a := map[uint8]int{}    // ballot → event that sent its 1a
	sent2a := map[[2]uint8]int{} // ballot, value → event that sent its 2a
	toAll := func(msg string) []traces.Send {
		var out []traces.Send
		for a := range sp.Acceptors() {
			out = append(out, traces.Send{To: leaders + a, Message: msg})
		}
		return out
	}
	for i, st := range path.Steps {
		a := st.Action
		e := traces.Event{ID: len(t.Events), Step: i + 1, Action: st.Label, Edge: st.Edge, Kind: traces.KindStep, Node: int(a.Bal), Peer: -1, Cause: -1}
		switch a.Kind {
		case paxos.Phase1a:
			e.Sends = toAll(fmt.Sprintf("1a(%d)", a.Bal))
			if _, ok := sent1a[a.Bal]; !ok {
				sent1a[a.Bal] = e.ID
			}
		case paxos.Phase2a:
			e.Sends = toAll(fmt.Sprintf("2a(%d, v%d)", a.Bal, a.Val+1))
			sent2a[[2]uint8{a.Bal, a.Val}] = e.ID
		case paxos.Phase1b:
			vb, vv := sp.Vote(st.State, int(a.Acc))
			report := "-1, None"
			if vb >= 0 {
				report = fmt.Sprintf("%d, v%d", vb, vv+1)
			}
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = leaders+int(a.Acc), traces.KindReceive, int(a.Bal), fmt.Sprintf("1a(%d)", a.Bal), sent1a[a.Bal]
			e.Sends = []traces.Send{{To: int(a.Bal), Message: fmt.Sprintf("1b(a%d, %d, %s)", a.Acc+1, a.Bal, report)}}
		case paxos.Phase2b:
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = leaders+int(a.Acc), traces.KindReceive, int(a.Bal), fmt.Sprintf("2a(%d, v%d)", a.Bal, a.Val+1), sent2a[[2]uint8{a.Bal, a.Val}]
			e.Sends = []traces.Send{{To: int(a.Bal), Message: fmt.Sprintf("2b(a%d, %d, v%d)", a.Acc+1, a.Bal, a.Val+1)}}
		}
		if e.Node >= leaders {
			e.State = sp.DescribeAcceptor(st.State, e.Node-leaders)
		} else {
			e.State = fmt.Sprintf("ballot %d", e.Node)
		}
		t.Events = append(t.Events, e)
	}
	t.Stamp()
	return t
}
