package cli

import (
	"github.com/distsys/distsys/impl/protocols"
)

// runOut is `run -json`: one object with the run's settings, what it did,
// every property's outcomes, and its verdict.
type runOut struct {
	Protocol   string            `json:"protocol"`
	Settings   string            `json:"settings"`
	Params     map[string]int    `json:"params"`
	Mutant     string            `json:"mutant,omitempty"`
	Seed       uint64            `json:"seed"`
	Runtime    string            `json:"runtime"`
	Network    string            `json:"network"`
	Status     string            `json:"status"`
	Gaps       []string          `json:"gaps"`
	Rounds     int               `json:"rounds"`
	ElapsedMS  float64           `json:"elapsed_ms"`
	Operations runOpsOut         `json:"operations"`
	Steps      int               `json:"steps"`
	Faults     int               `json:"faults"`
	Replay     *string           `json:"replay_failure"`
	Properties []runPropertyOut  `json:"properties"`
	Lin        *runLinOut        `json:"linearizability"`
	Errors     []string          `json:"errors"`
	Files      map[string]string `json:"files"`
	TraceRound int               `json:"trace_round"`
	_          struct{}          `json:"-"`
}

type runOpsOut struct {
	Issued   int `json:"issued"`
	Answered int `json:"answered"`
	TimedOut int `json:"timed_out"`
	Refused  int `json:"refused"`
}

type runPropertyOut struct {
	Property     string `json:"property"`
	Kind         string `json:"kind"`
	Expected     bool   `json:"expected,omitempty"`
	Held         int    `json:"held"`
	Violated     int    `json:"violated"`
	Reached      int    `json:"reached"`
	NotReached   int    `json:"not_reached"`
	NotEvaluated int    `json:"not_evaluated"`
	FirstRound   *int   `json:"first_violated_round,omitempty"`
	FirstReason  string `json:"first_reason,omitempty"`
}

type runLinOut struct {
	Histories         int  `json:"histories"`
	Operations        int  `json:"operations"`
	Linearizable      int  `json:"linearizable"`
	NotLinearizable   int  `json:"not_linearizable"`
	Undecided         int  `json:"undecided"`
	FirstIllegalRound *int `json:"first_illegal_round,omitempty"`
}

func runJSON(name string, opts protocols.Options, mode string, r *protocols.Result, files runFiles) runOut {
	out := runOut{
		Protocol: name, Settings: opts.Settings, Params: opts.Params, Mutant: opts.Mutant, Seed: r.Seed,
		Runtime: mode, Network: opts.Network.String(), Status: r.Status().String(), Gaps: r.Gaps(),
		Rounds: r.Rounds, ElapsedMS: float64(r.Elapsed.Microseconds()) / 1000,
		Operations: runOpsOut{r.Ops, r.Answered, r.TimedOut, r.Refused},
		Steps:      r.Stats.Steps, Faults: r.Stats.Faults(),
		Properties: []runPropertyOut{}, Errors: []string{}, Files: map[string]string{}, TraceRound: r.TraceRound,
	}
	if out.Gaps == nil {
		out.Gaps = []string{}
	}
	if r.Replay != nil {
		s := r.Replay.Error()
		out.Replay = &s
	}
	for _, p := range r.Properties {
		po := runPropertyOut{Property: p.Property, Kind: p.Kind.String(), Expected: p.Expected, Held: p.Held, Violated: p.Violated,
			Reached: p.Reached, NotReached: p.NotReached, NotEvaluated: p.NotEvaluated, FirstReason: p.FirstReason}
		if p.Violated > 0 {
			po.FirstRound = &p.FirstRound
		}
		out.Properties = append(out.Properties, po)
	}
	if l := r.Lin; l != nil {
		out.Lin = &runLinOut{Histories: l.Ok + l.Illegal + l.Unknown, Operations: l.Ops, Linearizable: l.Ok, NotLinearizable: l.Illegal, Undecided: l.Unknown}
		if l.Illegal > 0 {
			out.Lin.FirstIllegalRound = &l.FirstIllegalRound
		}
	}
	for _, err := range r.Errs {
		out.Errors = append(out.Errors, err.Error())
	}
	for k, v := range map[string]string{"trace": files.trace, "html": files.html, "porcupine": files.porcupine} {
		if v != "" {
			out.Files[k] = v
		}
	}
	return out
}
