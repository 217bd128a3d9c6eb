package catalog

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/traces"
)

// differences compares a recorded trace with the spec's execution of its
// steps and returns one line per header field and per event that
// differs, naming each field with the recorded value and the spec's.
func differences(rec, spec *traces.Trace) []string {
	var out []string
	if rec.Settings != "" && rec.Settings != spec.Settings {
		out = append(out, fmt.Sprintf("header: settings %q in the trace, %q from its params", rec.Settings, spec.Settings))
	}
	if rec.Model != nil && spec.Model != nil && rec.Model.Text != "" && rec.Model.Text != spec.Model.Text {
		out = append(out, fmt.Sprintf("header: model %q in the trace, %q from its model fields", rec.Model.Text, spec.Model.Text))
	}
	if strings.Join(rec.Nodes, ",") != strings.Join(spec.Nodes, ",") {
		out = append(out, fmt.Sprintf("header: nodes %q in the trace, %q in the spec", rec.Nodes, spec.Nodes))
	}
	for i := range max(len(rec.Events), len(spec.Events)) {
		switch {
		case i >= len(spec.Events):
			out = append(out, fmt.Sprintf("%s: in the trace only", where(rec.Events[i], rec.Nodes)))
			continue
		case i >= len(rec.Events):
			out = append(out, fmt.Sprintf("%s: in the spec only", where(spec.Events[i], spec.Nodes)))
			continue
		}
		if d := eventDiff(rec.Events[i], spec.Events[i]); d != "" {
			out = append(out, where(spec.Events[i], spec.Nodes)+": "+d)
		}
	}
	if rv, sv := rec.Violation, spec.Violation; rv != nil && sv != nil && rv.Reason != sv.Reason {
		out = append(out, fmt.Sprintf("violation: %q in the trace, %q in the spec", rv.Reason, sv.Reason))
	}
	return out
}

// where names an event for a difference line: "step 3 (n1)", "start of n0".
func where(e traces.Event, nodes []string) string {
	lane := fmt.Sprintf("node %d", e.Node)
	if e.Node >= 0 && e.Node < len(nodes) {
		lane = nodes[e.Node]
	}
	if e.Step == 0 {
		return "start of " + lane
	}
	if e.Node < 0 {
		return fmt.Sprintf("step %d", e.Step)
	}
	return fmt.Sprintf("step %d (%s)", e.Step, lane)
}

// eventDiff lists the fields in which the recorded event r differs from
// the spec's s ("state: "a" in the trace, "b" in the spec; …"), or "".
func eventDiff(r, s traces.Event) string {
	var parts []string
	field := func(name string, rv, sv any) {
		if a, b := fmt.Sprintf("%q", rv), fmt.Sprintf("%q", sv); a != b {
			parts = append(parts, fmt.Sprintf("%s: %s in the trace, %s in the spec", name, a, b))
		}
	}
	field("step", fmt.Sprint(r.Step), fmt.Sprint(s.Step))
	field("kind", r.Kind, s.Kind)
	field("node", fmt.Sprint(r.Node), fmt.Sprint(s.Node))
	field("peer", fmt.Sprint(r.Peer), fmt.Sprint(s.Peer))
	field("message", r.Message, s.Message)
	field("cause", fmt.Sprint(r.Cause), fmt.Sprint(s.Cause))
	field("sends", sendsText(r.Sends), sendsText(s.Sends))
	field("timers", strings.Join(r.Timers, " "), strings.Join(s.Timers, " "))
	field("observations", strings.Join(r.Observations, "; "), strings.Join(s.Observations, "; "))
	field("fault", fmt.Sprint(r.Fault), fmt.Sprint(s.Fault))
	field("crashed", fmt.Sprint(r.Crashed), fmt.Sprint(s.Crashed))
	field("state", r.State, s.State)
	return strings.Join(parts, "; ")
}

func sendsText(ss []traces.Send) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, fmt.Sprintf("%s to %d", s.Message, s.To))
	}
	return strings.Join(parts, "; ")
}
