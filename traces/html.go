package traces

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed html.tmpl
var pageSource string

// page is the HTML template; html/template escapes every text it inserts
// (states and messages may hold < > &), and writes the layout into the
// script as JSON.
var page = template.Must(template.New("trace").Funcs(template.FuncMap{"at": atTime, "label": labelOf}).Parse(pageSource))

// classed is a label with the CSS class the page draws it with.
type classed struct {
	Class string
	Shape textShape
}

func labelOf(class string, t textShape) classed { return classed{class, t} }

// pageData is what the template draws.
type pageData struct {
	Layout  *Layout
	Diagram diagram
	// Nodes and Steps count the lanes and steps, for the caption.
	Nodes, Steps int
	Verdict      Verdict
	Page         Page
}

// Verdict statuses, as a page's banner writes them.
const (
	VerdictOK         = "OK"         // nothing was violated
	VerdictViolated   = "VIOLATED"   // the trace breaks its Violation
	VerdictIncomplete = "INCOMPLETE" // nothing was violated, but what ran proves nothing
	VerdictFailed     = "FAILED"     // the run failed otherwise (a step did not replay, the runtime erred)
)

// Verdict is what a page's banner says of the check or run its trace
// comes from.
type Verdict struct {
	// Status is VerdictOK, VerdictViolated, VerdictIncomplete or
	// VerdictFailed.
	Status string
	// Note says what the status rests on, in a sentence or two.
	Note string
}

// Page is what an HTML page shows beyond its trace. The zero Page draws
// the trace alone, with the verdict the trace itself supports.
type Page struct {
	// Verdict, if set, is the verdict of the run the trace was taken from
	// (a trace records only the execution, not what else was checked).
	Verdict *Verdict
	// Operations are the client operations at the heart of a history that
	// has no linearization, as the linearizability checker found them.
	Operations []Operation
	// Links are pages written beside this one (porcupine's view of the
	// history), by relative address.
	Links []Link
}

// Link is a page written beside another, by relative address.
type Link struct {
	Text, Href string
}

// Operation is one client operation of a run's history: who called what,
// on which node, when, and what came back.
type Operation struct {
	Client int
	// Node names the node that answered it, or the last one tried.
	Node string
	// Op is the operation with its arguments and result, as the
	// history's model writes it: "write(1)", "read#2 → 0" ("→ ?" without
	// a reply).
	Op string
	// Call and Return are when it was invoked and answered, since the
	// run's cluster started; Return is negative when no reply came.
	Call, Return time.Duration
	// Role is its part in the conflict ("linearized last", "cannot come
	// next").
	Role string
}

// String writes o on one line, as a reason quotes it.
func (o Operation) String() string {
	return fmt.Sprintf("%s by client %d on %s (invoked %s, returned %s)", o.Op, o.Client, o.Node, atTime(o.Call), atTime(o.Return))
}

// atTime writes a time since the cluster started; a negative one is a
// reply that never came.
func atTime(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return d.Round(time.Microsecond).String()
}

// WriteHTML renders t as one self-contained HTML page (inline CSS, SVG and
// script; it loads nothing): a banner with the verdict, the violated
// property and the seed; a space-time diagram with a lane per node,
// message arrows (a cross where a message is dropped or lost at a down
// node, copies marked, messages never delivered dashed), crashes,
// recoveries and timers, and the violating step highlighted with the
// property's message. Clicking an event shows the node's state after it
// and the event's Lamport and vector timestamps; the arrow keys step
// through the execution. It draws t's Layout.
func WriteHTML(w io.Writer, t *Trace) error {
	return WritePage(w, t, Page{})
}

// WritePage is WriteHTML with what the page shows beyond the trace: the
// verdict of the run it comes from, the operations of a history with no
// linearization, links to pages beside it.
func WritePage(w io.Writer, t *Trace, p Page) error {
	return t.Layout().page(w, p)
}

// HTML writes the layout as the page WriteHTML makes.
func (l *Layout) HTML(w io.Writer) error { return l.page(w, Page{}) }

func (l *Layout) page(w io.Writer, p Page) error {
	v := l.verdict()
	if p.Verdict != nil {
		v = *p.Verdict
	}
	return page.Execute(w, pageData{Layout: l, Diagram: l.geometry(), Nodes: len(l.Lanes), Steps: len(l.Rows) - 1, Verdict: v, Page: p})
}

// verdict is what the trace alone supports: its violation, or that the
// execution breaks none of the properties checked on it.
func (l *Layout) verdict() Verdict {
	if l.Violation != nil {
		return Verdict{Status: VerdictViolated}
	}
	return Verdict{Status: VerdictOK, Note: "this execution breaks none of the properties checked on it (the trace does not record the verdict of the check or run it was taken from)"}
}
