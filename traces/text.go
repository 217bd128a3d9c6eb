package traces

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText renders t for the terminal: the header, then one numbered line
// per step saying who did what, what it sent, and the acting node's state
// afterwards, and the violated property at the end.
func WriteText(w io.Writer, t *Trace) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", t.Protocol)
	switch {
	case t.Settings != "":
		fmt.Fprintf(&b, " %s", t.Settings)
	case len(t.Params) > 0:
		fmt.Fprintf(&b, " %s", formatParams(t.Params))
	}
	if t.Mutant != "" {
		fmt.Fprintf(&b, " mutant=%s", t.Mutant)
	}
	b.WriteByte('\n')
	if t.Model != nil && t.Model.Text != "" {
		fmt.Fprintf(&b, "model: %s\n", t.Model.Text)
	}
	for _, e := range t.Events {
		if e.Step == 0 {
			if len(e.Sends) > 0 || len(e.Timers) > 0 || len(e.Observations) > 0 {
				fmt.Fprintf(&b, "  0. %s starts%s\n", t.node(e.Node), effects(t, e))
			}
			continue
		}
		fault := ""
		if e.Fault {
			fault = " [fault]"
		}
		crashed := ""
		if e.Crashed {
			crashed = "; then " + t.node(e.Node) + " crashes"
		}
		fmt.Fprintf(&b, "%3d. %s%s%s%s\n", e.Step, e.Action, fault, effects(t, e), crashed)
		if e.State != "" {
			who := t.node(e.Node)
			if e.Node < 0 {
				who = "state"
			}
			fmt.Fprintf(&b, "     %s: %s\n", who, e.State)
		}
	}
	if v := t.Violation; v != nil {
		fmt.Fprintf(&b, "violated: %s (%s): %s\n", v.Property, v.Kind, v.Reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func effects(t *Trace, e Event) string {
	var parts []string
	for _, s := range e.Sends {
		parts = append(parts, fmt.Sprintf("send %s to %s", s.Message, t.node(s.To)))
	}
	for _, tm := range e.Timers {
		if strings.HasPrefix(tm, "-") {
			parts = append(parts, "cancel timer "+tm[1:])
		} else {
			parts = append(parts, "set timer "+strings.TrimPrefix(tm, "+"))
		}
	}
	for _, o := range e.Observations {
		parts = append(parts, "observe "+o)
	}
	if len(parts) == 0 {
		return ""
	}
	return " → " + strings.Join(parts, "; ")
}

func (t *Trace) node(i int) string {
	if i >= 0 && i < len(t.Nodes) {
		return t.Nodes[i]
	}
	return "-"
}

func formatParams(p map[string]int) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	// Node count first, then alphabetical: the order flags are listed in.
	sortParams(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, p[k])
	}
	return strings.Join(parts, " ")
}

func sortParams(keys []string) {
	slices.SortFunc(keys, func(a, b string) int {
		if (a == "n") != (b == "n") {
			if a == "n" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
}
