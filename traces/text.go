package traces

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText renders t for the terminal: the header, then one numbered line
// per step saying who did what, what it sent, and the acting node's state
// afterwards, and the violated property at the end. It draws t's Layout.
func WriteText(w io.Writer, t *Trace) error {
	_, err := io.WriteString(w, t.Layout().Text())
	return err
}

// Text renders the layout for the terminal, as WriteText does.
func (l *Layout) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", l.Title)
	if l.Model != "" {
		fmt.Fprintf(&b, "model: %s\n", l.Model)
	}
	for _, m := range l.Marks {
		crashed := ""
		if m.Crashed {
			crashed = "; then " + l.lane(m.Lane) + " crashes"
		}
		if m.Step == 0 {
			// A start that did something, or was cut short by a crash.
			if len(m.Sends) > 0 || len(m.Timers) > 0 || len(m.Observations) > 0 || m.Crashed {
				fmt.Fprintf(&b, "  0. %s starts%s%s\n", l.lane(m.Lane), l.effects(m), crashed)
			}
			continue
		}
		fault := ""
		if m.Fault {
			fault = " [fault]"
		}
		fmt.Fprintf(&b, "%3d. %s%s%s%s\n", m.Step, m.Action, fault, l.effects(m), crashed)
		if m.State != "" {
			who := l.lane(m.Lane)
			if m.Lane < 0 {
				who = "state"
			}
			fmt.Fprintf(&b, "     %s: %s\n", who, m.State)
		}
	}
	if v := l.Violation; v != nil {
		fmt.Fprintf(&b, "violated: %s (%s): %s\n", v.Property, v.Kind, v.Reason)
	}
	return b.String()
}

// effects writes what a step did besides its own event: " → send m to n1;
// set timer t; observe o", or "".
func (l *Layout) effects(m Mark) string {
	parts := l.effectList(m)
	if len(parts) == 0 {
		return ""
	}
	return " → " + strings.Join(parts, "; ")
}

// effectList lists a step's sends, timers and observations in words.
func (l *Layout) effectList(m Mark) []string {
	var parts []string
	for _, s := range m.Sends {
		parts = append(parts, fmt.Sprintf("send %s to %s", s.Message, l.lane(s.To)))
	}
	for _, tm := range m.Timers {
		parts = append(parts, timerText(tm))
	}
	for _, o := range m.Observations {
		parts = append(parts, "observe "+o)
	}
	return parts
}

// timerText reads a timer change: "+t" (or "t") sets t, "-t" cancels it.
func timerText(tm string) string {
	if strings.HasPrefix(tm, "-") {
		return "cancel timer " + tm[1:]
	}
	return "set timer " + strings.TrimPrefix(tm, "+")
}

// lane names lane i, or "-" for none.
func (l *Layout) lane(i int) string {
	if i >= 0 && i < len(l.Lanes) {
		return l.Lanes[i].Name
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
