package traces

import (
	"fmt"
	"io"
	"strings"
)

// WriteMermaid renders t as a Mermaid sequenceDiagram, which GitHub draws
// in Markdown: a participant per node; each message as an arrow at the step
// that delivers it (a cross where it is dropped or lost at a down node, a
// dashed arrow at the end for one still in flight); notes for requests,
// timers, crashes, observations and state changes; the violating step
// boxed in red with the property's message. It draws t's Layout.
func WriteMermaid(w io.Writer, t *Trace) error {
	_, err := io.WriteString(w, t.Layout().Mermaid())
	return err
}

// Mermaid renders the layout as a Mermaid sequenceDiagram, as
// WriteMermaid does (without a Markdown fence).
func (l *Layout) Mermaid() string {
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	for i, ln := range l.Lanes {
		fmt.Fprintf(&b, "    participant %s as %s\n", participant(i), mermaidText(ln.Name))
	}
	ends := map[int][]Arrow{} // arrows by the event that ends them
	var open []Arrow
	for _, a := range l.Arrows {
		if a.To < 0 {
			open = append(open, a)
		} else {
			ends[a.To] = append(ends[a.To], a)
		}
	}
	for _, row := range l.Rows {
		violating := l.Violation != nil && row.Step == l.Violation.Step
		if violating {
			b.WriteString("    rect rgb(255, 228, 228)\n")
		}
		for _, i := range row.Marks {
			l.mermaidMark(&b, l.Marks[i], ends[l.Marks[i].Event])
		}
		if violating {
			v := l.Violation
			fmt.Fprintf(&b, "    Note over %s: %s\n", l.allLanes(), mermaidText(fmt.Sprintf("✗ %s (%s) violated: %s", v.Property, v.Kind, v.Reason)))
			b.WriteString("    end\n")
		}
	}
	for _, a := range open {
		if a.FromLane >= 0 && a.ToLane >= 0 {
			fmt.Fprintf(&b, "    %s--)%s: %s\n", participant(a.FromLane), participant(a.ToLane), mermaidText(a.Message+" (still in flight)"))
		}
	}
	return b.String()
}

// mermaidMark writes one event: the arrows it ends, then a note on what
// the node did and how its state changed.
func (l *Layout) mermaidMark(b *strings.Builder, m Mark, ends []Arrow) {
	step := fmt.Sprintf("%d. ", m.Step)
	for _, a := range ends {
		from, to := participant(a.FromLane), participant(a.ToLane)
		msg := a.Message
		if a.Copy {
			msg += " (copy)"
		}
		switch a.Fate {
		case FateDropped:
			fmt.Fprintf(b, "    %s-x%s: %s\n", from, to, mermaidText(step+msg+" (dropped)"))
		case FateLost:
			why := " (lost at " + l.lane(a.ToLane) + ")"
			if l.down(a.ToLane, a.ToStep) {
				why = " (lost: " + l.lane(a.ToLane) + " is down)"
			}
			fmt.Fprintf(b, "    %s-x%s: %s\n", from, to, mermaidText(step+msg+why))
		default:
			fmt.Fprintf(b, "    %s->>%s: %s\n", from, to, mermaidText(step+msg))
		}
		step = ""
	}
	var lines []string
	switch m.Kind {
	case KindReceive, KindLost, KindDrop:
		if len(ends) == 0 {
			lines = append(lines, step+m.Label)
		}
	case KindStart:
		if len(m.Sends)+len(m.Timers)+len(m.Observations) > 0 {
			lines = append(lines, "0. start")
		}
	case KindDuplicate:
		if m.Lane >= 0 && m.Peer >= 0 {
			fmt.Fprintf(b, "    Note over %s,%s: %s\n", participant(min(m.Peer, m.Lane)), participant(max(m.Peer, m.Lane)), mermaidText(step+"the network duplicates "+m.Message))
		}
		return
	case KindCrash:
		lines = append(lines, step+"✗ crash")
	case KindRecover:
		lines = append(lines, step+"recover")
	case KindTimer:
		lines = append(lines, step+m.Label+" fires")
	default:
		lines = append(lines, step+m.Label)
	}
	for _, tm := range m.Timers {
		lines = append(lines, timerText(tm))
	}
	for _, o := range m.Observations {
		lines = append(lines, o)
	}
	if m.Changed && m.Kind != KindStart {
		lines = append(lines, "state: "+m.State)
	}
	if m.Crashed {
		lines = append(lines, fmt.Sprintf("✗ crashes after %d %s", len(m.Sends), plural(len(m.Sends), "send", "sends")))
	}
	if len(lines) == 0 {
		return
	}
	over := l.allLanes()
	if m.Lane >= 0 {
		over = participant(m.Lane)
	}
	for i, s := range lines {
		lines[i] = mermaidText(s)
	}
	fmt.Fprintf(b, "    Note over %s: %s\n", over, strings.Join(lines, "<br/>"))
}

// down reports whether lane i is down at row step.
func (l *Layout) down(i, step int) bool {
	if i < 0 || i >= len(l.Lanes) {
		return false
	}
	for _, s := range l.Lanes[i].Down {
		if s.From <= step && step < s.To {
			return true
		}
	}
	return false
}

// allLanes is the span "Note over" takes to cover every participant.
func (l *Layout) allLanes() string {
	if len(l.Lanes) <= 1 {
		return participant(0)
	}
	return participant(0) + "," + participant(len(l.Lanes)-1)
}

// participant is lane i's identifier: node names are shown through "as",
// so no name can clash with Mermaid's keywords.
func participant(i int) string { return fmt.Sprintf("P%d", i) }

// mermaidText escapes text for a message or note: Mermaid ends a text at
// ';' or '#' or a line break and reads '<' '>' '&' as HTML, so those are
// written as its entity codes (#59; #35; #lt; #gt; #amp;).
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#':
			b.WriteString("#35;")
		case ';':
			b.WriteString("#59;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
