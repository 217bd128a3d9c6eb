package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/ntp"
	"github.com/distsys/distsys/traces"
)

func init() { register(ntpEntry()) }

func ntpEntry() *Entry {
	d := ntp.DefaultParams()
	e := &Entry{
		Name:    "ntp",
		Summary: "NTP's offset and delay from four timestamps, and the slew / step / panic correction, over a grid of offsets, drifts and delays",
		Section: "3.1, 3.2",
		Params: []Param{
			{Name: "delay", Doc: "each one-way delay is 0, 1, …, delay ms", Default: d.DelayMillis, Min: 0, Max: ntp.MaxDelayMillis},
			{Name: "proc", Doc: "the server holds the request 0 or proc ms", Default: d.ProcMillis, Min: 0, Max: ntp.MaxProcMillis},
			{Name: "drift", Doc: "the client's oscillator drifts 0 or ±drift ppm", Default: d.DriftPPM, Min: 0, Max: ntp.MaxDriftPPM},
		},
		Mutants: ntp.Mutants,
	}
	for _, name := range []string{ntp.PropErrorWithinHalfDelay, ntp.PropMonotonic, ntp.PropTimeOfDayBackwards, ntp.PropBoundTight, ntp.PropSlewed, ntp.PropStepped, ntp.PropPanicked} {
		kind := "sometimes"
		switch name {
		case ntp.PropErrorWithinHalfDelay:
			kind = "always"
		case ntp.PropMonotonic:
			kind = "on-transition"
		}
		e.Properties = append(e.Properties, PropertyInfo{Name: name, Kind: kind, Doc: ntp.PropertyDocs[name]})
	}
	e.check = checkNTP
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		g, err := ntpGrid(t.Params, t.Mutant)
		if err != nil {
			return nil, err
		}
		return replayPath(g, ntpProps(g), t, 0, func(p explore.Path[ntp.State, ntp.Action], v *Verdict) *traces.Trace {
			return ntpTrace(g, rep, p, v)
		})
	}
	return e
}

func ntpGrid(params map[string]int, mutant string) (*ntp.Grid, error) {
	return ntp.New(ntp.Params{DelayMillis: params["delay"], ProcMillis: params["proc"], DriftPPM: params["drift"], Mutant: mutant})
}

func ntpProps(g *ntp.Grid) []explore.Property[ntp.State, ntp.Action] {
	corrected := func(c ntp.Correction) func(ntp.State) bool {
		return func(s ntp.State) bool { return g.Corrected(s, c) }
	}
	return []explore.Property[ntp.State, ntp.Action]{
		explore.Invariant[ntp.State, ntp.Action](ntp.PropErrorWithinHalfDelay, g.ErrorWithinHalfDelay),
		explore.TransitionInvariant(ntp.PropMonotonic, g.Monotonic),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropTimeOfDayBackwards, g.TimeOfDayBackwards),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropBoundTight, g.BoundTight),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropSlewed, corrected(ntp.Slew)),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropStepped, corrected(ntp.Step)),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropPanicked, corrected(ntp.Panic)),
	}
}

func checkNTP(r Run, rep *Report) error {
	g, err := ntpGrid(r.Params, r.Mutant)
	if err != nil {
		return err
	}
	res, err := explore.Check[ntp.State, ntp.Action](g, ntpProps(g), r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = "closed transition system (one NTP exchange per point of the grid; integer nanoseconds)", "none"
	fill(rep, res, r.Options)
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = ntpTrace(g, rep, v.Path, nil)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = ntpTrace(g, rep, v.Path, &verdict)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// ntpTrace draws an exploration path with the client and the server as
// nodes: the choices of the grid are steps of the client (offset, drift)
// or of the message on its way (delays, processing time), the request
// and the reply are messages, the correction and the readings are steps
// of the client, whose state is what its clocks read.
func ntpTrace(g *ntp.Grid, rep *Report, path explore.Path[ntp.State, ntp.Action], v *Verdict) *traces.Trace {
	const client, server = 0, 1
	t := header(rep, []string{"client", "server"}, nil, v)
	request, reply := -1, -1
	for i, st := range path.Steps {
		x := g.Exchange(st.State)
		e := traces.Event{ID: len(t.Events), Step: i + 1, Action: st.Label, Edge: st.Edge, Kind: traces.KindStep, Node: client, Peer: -1, Cause: -1}
		switch st.Action.Phase {
		case ntp.Sending:
			e.Sends = []traces.Send{{To: server, Message: fmt.Sprintf("request t1=%s", stampOf(x.T1))}}
			request = e.ID
		case ntp.Requested:
			e.Kind, e.Node, e.Peer, e.Cause, e.Message = traces.KindReceive, server, client, request, fmt.Sprintf("request t1=%s", stampOf(x.T1))
		case ntp.AtServer:
			e.Node = server
			e.Sends = []traces.Send{{To: client, Message: fmt.Sprintf("reply t2=%s t3=%s", stampOf(x.T2), stampOf(x.T3))}}
			reply = e.ID
		case ntp.Replied:
			e.Kind, e.Peer, e.Cause, e.Message = traces.KindReceive, server, reply, fmt.Sprintf("reply t2=%s t3=%s", stampOf(x.T2), stampOf(x.T3))
		}
		if e.Node == server {
			e.State = "exact clock"
		} else {
			e.State = g.Describe(st.State)
		}
		t.Events = append(t.Events, e)
	}
	t.Stamp()
	return t
}

// stampOf writes a time of day relative to ntp.Epoch.
func stampOf(t ntp.Nanos) string {
	d := t - ntp.Epoch
	if d < 0 {
		return "E" + d.String()
	}
	return "E+" + d.String()
}
