package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/traces"
)

// porcupinePath is where porcupine's view of a history with no
// linearization is written, beside the run's page or trace at base.
func porcupinePath(base string) string {
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".porcupine.html"
}

// runPage is what a run's HTML page, at htmlPath, shows beyond the round
// it draws: the run's verdict (a trace records only its round), the
// operations porcupine could not linearize, and a link to porcupine's own
// page, written beside it.
func runPage(r *protocols.Result, htmlPath string) traces.Page {
	var p traces.Page
	drawn := fmt.Sprintf("round %d of %d (seed %d) is drawn", r.TraceRound, r.Rounds, r.Seed+uint64(r.TraceRound))
	v := traces.Verdict{}
	switch {
	case r.Trace != nil && r.Trace.Violation != nil:
		v.Status, v.Note = traces.VerdictViolated, drawn+": the first round that failed"
	case r.Failed():
		v.Status, v.Note = traces.VerdictFailed, drawn+": "+failure(r)
	case r.Answered == 0:
		v.Status, v.Note = traces.VerdictIncomplete, fmt.Sprintf("%s; no operation of the %d issued was answered, so the run shows nothing of what the protocol guarantees", drawn, r.Ops)
	case r.Lin != nil && r.Lin.Unknown > 0:
		v.Status, v.Note = traces.VerdictIncomplete, fmt.Sprintf("%s; no property was violated, but porcupine could not decide %d of the histories in time", drawn, r.Lin.Unknown)
	case r.Status() == protocols.Incomplete:
		// The run's own verdict: it checked less than it claims.
		v.Status, v.Note = traces.VerdictIncomplete, fmt.Sprintf("%s; %s", drawn, strings.Join(r.Gaps(), "; "))
	default:
		lin := ""
		if r.Lin != nil {
			lin = ", and every client history is linearizable"
		}
		v.Status, v.Note = traces.VerdictOK, fmt.Sprintf("%s; in %d rounds (%d operations, %d answered) no property was violated%s", drawn, r.Rounds, r.Ops, r.Answered, lin)
	}
	p.Verdict = &v
	if r.Lin != nil && r.Lin.Illegal > 0 {
		k := r.Lin.FirstIllegalRound
		if c := r.LinConflict; c != nil && k == r.TraceRound {
			p.Operations = c.Operations
		}
		if len(r.LinHTML) > 0 && htmlPath != "" {
			what := "this round's"
			if k != r.TraceRound {
				what = fmt.Sprintf("round %d's (seed %d, not the round drawn here)", k, r.Seed+uint64(k))
			}
			p.Links = append(p.Links, traces.Link{
				Text: fmt.Sprintf("porcupine's view of %s client history, which has no linearization", what),
				Href: filepath.Base(porcupinePath(htmlPath)),
			})
		}
	}
	return p
}

// failure says why a run failed with no property violated.
func failure(r *protocols.Result) string {
	switch {
	case r.Replay != nil:
		return "a step did not replay: " + r.Replay.Error()
	case len(r.Errs) > 0:
		return "the runtime failed: " + r.Errs[0].Error()
	case r.Lin != nil && r.Lin.Illegal > 0:
		return fmt.Sprintf("the client history of round %d has no linearization", r.Lin.FirstIllegalRound)
	}
	return "a property was violated in another round"
}
