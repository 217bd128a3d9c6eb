package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
	"github.com/distsys/distsys/traces"
)

type (
	tpState  = twophase.State
	tpAction = twophase.Action
)

func init() { register(twophaseEntry()) }

func twophaseEntry() *Entry {
	e := &Entry{
		Name:    "twophase",
		Summary: "two-phase commit, state for state the TLA+ TwoPhase spec",
		Section: "7.1",
		Params: []Param{
			{Name: "n", Doc: "resource managers", Default: 3, Min: 1, Max: twophase.MaxRMs},
		},
		Properties: []PropertyInfo{
			{twophase.PropConsistent, "always", "no RM committed while another aborted (TCConsistent)"},
			{twophase.PropAllCommitted, "sometimes", "every RM committed"},
			{twophase.PropAllAborted, "sometimes", "every RM aborted"},
		},
	}
	e.Mutants = twophase.Mutants
	e.Symmetry = "the resource managers"
	e.check = checkTwophase
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		sp, err := twophase.New(t.Params["n"], t.Mutant)
		if err != nil {
			return nil, err
		}
		return replayPath(sp, twophaseProps(sp), t, 0, func(p explore.Path[tpState, tpAction], v *Verdict) *traces.Trace {
			return twophaseTrace(sp, rep, p, v)
		})
	}
	return e
}

func twophaseProps(sp *twophase.Spec) []explore.Property[tpState, tpAction] {
	return []explore.Property[tpState, tpAction]{
		explore.Invariant[tpState, tpAction](twophase.PropConsistent, sp.Consistent),
		explore.Reachable[tpState, tpAction](twophase.PropAllCommitted, sp.AllCommitted),
		explore.Reachable[tpState, tpAction](twophase.PropAllAborted, sp.AllAborted),
	}
}

func checkTwophase(r Run, rep *Report) error {
	sp, err := twophase.New(r.Params["n"], r.Mutant)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = "closed transition system (TLA+ TwoPhase)", "none"
	if r.Symmetry {
		sp = sp.Symmetric()
		rep.Model += "; symmetry: one state per orbit of the resource managers"
	}
	res, err := explore.Check[tpState, tpAction](sp, twophaseProps(sp), r.Options)
	if err != nil {
		return err
	}
	fill(rep, res, r.Options)
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = twophaseTrace(sp, rep, v.Path, nil)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = twophaseTrace(sp, rep, v.Path, &verdict)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// twophaseTrace draws a TwoPhase execution with the TM and each RM as a
// node: RMPrepare sends Prepared to the TM, TMCommit and TMAbort send their
// decision to every RM, and the receiving actions receive them.
func twophaseTrace(sp *twophase.Spec, rep *Report, path explore.Path[tpState, tpAction], v *Verdict) *traces.Trace {
	nodes := []string{"TM"}
	for i := range sp.RMs() {
		nodes = append(nodes, fmt.Sprintf("r%d", i+1))
	}
	t := header(rep, nodes, nil, v)
	prepared := map[int]int{} // RM → event that sent its Prepared
	decision := -1            // event that sent Commit or Abort
	for i, st := range path.Steps {
		a := st.Action
		rm := int(a.RM) + 1
		e := traces.Event{ID: len(t.Events), Step: i + 1, Action: st.Label, Edge: st.Edge, Kind: traces.KindStep, Peer: -1, Cause: -1}
		switch a.Kind {
		case twophase.TMCommit, twophase.TMAbort:
			msg := "Commit"
			if a.Kind == twophase.TMAbort {
				msg = "Abort"
			}
			for r := 1; r <= sp.RMs(); r++ {
				e.Sends = append(e.Sends, traces.Send{To: r, Message: msg})
			}
			decision = e.ID
		case twophase.TMRcvPrepared:
			e.Kind, e.Peer, e.Message, e.Cause = traces.KindReceive, rm, fmt.Sprintf("Prepared(r%d)", rm), prepared[rm]
		case twophase.RMPrepare:
			e.Node = rm
			e.Sends = []traces.Send{{To: 0, Message: fmt.Sprintf("Prepared(r%d)", rm)}}
			prepared[rm] = e.ID
		case twophase.RMChooseToAbort:
			e.Node = rm
		case twophase.RMRcvCommitMsg, twophase.RMRcvAbortMsg:
			msg := "Commit"
			if a.Kind == twophase.RMRcvAbortMsg {
				msg = "Abort"
			}
			e.Node, e.Kind, e.Peer, e.Message, e.Cause = rm, traces.KindReceive, 0, msg, decision
		}
		if e.Node == 0 {
			e.State = fmt.Sprintf("tm=%s", sp.TM(st.State))
		} else {
			e.State = sp.RM(st.State, rm-1).String()
		}
		t.Events = append(t.Events, e)
	}
	t.Stamp()
	return t
}
