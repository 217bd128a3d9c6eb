package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxoscommit"
	"github.com/distsys/distsys/traces"
)

type (
	pcState  = paxoscommit.State
	pcAction = paxoscommit.Action
)

func init() { register(paxoscommitEntry()) }

func paxoscommitEntry() *Entry {
	e := &Entry{
		Name:    "paxoscommit",
		Summary: "Paxos Commit, state for state Lamport's TLA+ PaxosCommit (defaults: PaxosCommit.cfg)",
		Section: "7.1",
		Params: []Param{
			{Name: "rms", Doc: "resource managers", Default: 2, Min: 1, Max: paxoscommit.MaxRMs},
			{Name: "acceptors", Doc: "acceptors (majorities: every set of ⌊n/2⌋+1)", Default: 3, Min: 1, Max: paxoscommit.MaxAcceptors},
			{Name: "maxballot", Doc: "ballots are 0..maxballot (0 belongs to the RMs)", Default: 1, Min: 0, Max: paxoscommit.MaxBallot},
		},
		Properties: []PropertyInfo{
			{paxoscommit.PropConsistent, "always", "no RM committed while another aborted (TCConsistent)"},
			{paxoscommit.PropTypeOK, "always", "every variable and message in its type (PCTypeOK)"},
			{paxoscommit.PropAllCommitted, "sometimes", "every RM committed"},
			{paxoscommit.PropAllAborted, "sometimes", "every RM aborted"},
		},
		Mutants:  paxoscommit.Mutants,
		Symmetry: "the resource managers, and the acceptors",
	}
	e.check = checkPaxosCommit
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		sp, err := newPaxosCommit(t.Params, t.Mutant)
		if err != nil {
			return nil, err
		}
		return replayPath(sp, paxoscommitProps(sp), t, 0, func(p explore.Path[pcState, pcAction], v *Verdict) *traces.Trace {
			return paxoscommitTrace(sp, rep, p, v)
		})
	}
	return e
}

func newPaxosCommit(params map[string]int, mutant string) (*paxoscommit.Spec, error) {
	return paxoscommit.New(params["rms"], params["acceptors"], params["maxballot"], mutant)
}

func paxoscommitProps(sp *paxoscommit.Spec) []explore.Property[pcState, pcAction] {
	return []explore.Property[pcState, pcAction]{
		explore.Invariant[pcState, pcAction](paxoscommit.PropConsistent, sp.Consistent),
		explore.Invariant[pcState, pcAction](paxoscommit.PropTypeOK, sp.TypeOK),
		explore.Reachable[pcState, pcAction](paxoscommit.PropAllCommitted, sp.AllCommitted),
		explore.Reachable[pcState, pcAction](paxoscommit.PropAllAborted, sp.AllAborted),
	}
}

func checkPaxosCommit(r Run, rep *Report) error {
	sp, err := newPaxosCommit(r.Params, r.Mutant)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = "closed transition system (TLA+ PaxosCommit)", "none"
	if r.Symmetry {
		sp = sp.Symmetric()
		rep.Model += "; symmetry: one state per orbit of the resource managers and the acceptors"
	}
	res, err := explore.Check[pcState, pcAction](sp, paxoscommitProps(sp), r.Options)
	if err != nil {
		return err
	}
	fill(rep, res, r.Options)
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = paxoscommitTrace(sp, rep, v.Path, nil)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = paxoscommitTrace(sp, rep, v.Path, &verdict)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// paxoscommitTrace draws a PaxosCommit execution with the leader L, the
// RMs and the acceptors as nodes: an RM's prepare or abort sends its
// ballot-0 phase2a to the acceptors; the leader's Phase1a and Phase2a
// send to the acceptors, its Decide to the RMs; an acceptor's Phase1b and
// Phase2b receive the message they act on and answer the leader; an RM
// receives the decision.
func paxoscommitTrace(sp *paxoscommit.Spec, rep *Report, path explore.Path[pcState, pcAction], v *Verdict) *traces.Trace {
	nodes := []string{"L"}
	for rm := range sp.RMs() {
		nodes = append(nodes, fmt.Sprintf("r%d", rm+1))
	}
	firstAcc := len(nodes)
	for a := range sp.Acceptors() {
		nodes = append(nodes, fmt.Sprintf("a%d", a+1))
	}
	t := header(rep, nodes, nil, v)
	type key struct {
		rm, bal uint8
		val     paxoscommit.Value
	}
	sent1a := map[key]int{} // (rm, bal) → event that sent the phase1a
	sent2a := map[key]int{} // (rm, bal, val) → event that sent the phase2a
	decided := map[string]int{}
	toAcceptors := func(msg string) []traces.Send {
		var out []traces.Send
		for a := range sp.Acceptors() {
			out = append(out, traces.Send{To: firstAcc + a, Message: msg})
		}
		return out
	}
	for i, st := range path.Steps {
		a := st.Action
		rm := int(a.RM) + 1
		e := traces.Event{ID: len(t.Events), Step: i + 1, Action: st.Label, Edge: st.Edge, Kind: traces.KindStep, Peer: -1, Cause: -1}
		switch a.Kind {
		case paxoscommit.RMPrepare, paxoscommit.RMChooseToAbort:
			val := paxoscommit.ValPrepared
			if a.Kind == paxoscommit.RMChooseToAbort {
				val = paxoscommit.ValAborted
			}
			e.Node = rm
			e.Sends = toAcceptors(fmt.Sprintf("phase2a(r%d, 0, %s)", rm, val))
			sent2a[key{a.RM, 0, val}] = e.ID
		case paxoscommit.RMRcvCommitMsg, paxoscommit.RMRcvAbortMsg:
			msg := "Commit"
			if a.Kind == paxoscommit.RMRcvAbortMsg {
				msg = "Abort"
			}
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = rm, traces.KindReceive, 0, msg, decided[msg]
		case paxoscommit.Phase1a:
			e.Sends = toAcceptors(fmt.Sprintf("phase1a(r%d, %d)", rm, a.Bal))
			if _, ok := sent1a[key{rm: a.RM, bal: a.Bal}]; !ok {
				sent1a[key{rm: a.RM, bal: a.Bal}] = e.ID
			}
		case paxoscommit.Phase2a:
			e.Sends = toAcceptors(fmt.Sprintf("phase2a(r%d, %d, %s)", rm, a.Bal, a.Val))
			sent2a[key{a.RM, a.Bal, a.Val}] = e.ID
		case paxoscommit.DecideCommit, paxoscommit.DecideAbort:
			msg := "Commit"
			if a.Kind == paxoscommit.DecideAbort {
				msg = "Abort"
			}
			for r := 1; r <= sp.RMs(); r++ {
				e.Sends = append(e.Sends, traces.Send{To: r, Message: msg})
			}
			if _, ok := decided[msg]; !ok {
				decided[msg] = e.ID
			}
		case paxoscommit.Phase1b:
			_, vb, vv := sp.AState(st.State, int(a.RM), int(a.Acc))
			report := "-1, none"
			if vb >= 0 {
				report = fmt.Sprintf("%d, %s", vb, paxoscommit.Value(vv))
			}
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = firstAcc+int(a.Acc), traces.KindReceive, 0, fmt.Sprintf("phase1a(r%d, %d)", rm, a.Bal), sent1a[key{rm: a.RM, bal: a.Bal}]
			e.Sends = []traces.Send{{To: 0, Message: fmt.Sprintf("phase1b(r%d, a%d, %d, %s)", rm, a.Acc+1, a.Bal, report)}}
		case paxoscommit.Phase2b:
			from := 0
			if a.Bal == 0 {
				from = rm
			}
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = firstAcc+int(a.Acc), traces.KindReceive, from, fmt.Sprintf("phase2a(r%d, %d, %s)", rm, a.Bal, a.Val), sent2a[key{a.RM, a.Bal, a.Val}]
			e.Sends = []traces.Send{{To: 0, Message: fmt.Sprintf("phase2b(r%d, a%d, %d, %s)", rm, a.Acc+1, a.Bal, a.Val)}}
		}
		switch {
		case e.Node == 0:
			e.State = "leader"
		case e.Node < firstAcc:
			e.State = sp.RM(st.State, e.Node-1).String()
		default:
			acc := e.Node - firstAcc
			var parts []string
			for r := range sp.RMs() {
				mbal, vb, vv := sp.AState(st.State, r, acc)
				vote := "-1,none"
				if vb >= 0 {
					vote = fmt.Sprintf("%d,%s", vb, paxoscommit.Value(vv))
				}
				parts = append(parts, fmt.Sprintf("r%d:%d/%s", r+1, mbal, vote))
			}
			e.State = fmt.Sprint(parts)
		}
		t.Events = append(t.Events, e)
	}
	t.Stamp()
	return t
}
