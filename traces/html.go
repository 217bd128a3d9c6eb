package traces

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed html.tmpl
var pageSource string

// page is the HTML template; html/template escapes every text it inserts
// (states and messages may hold < > &), and writes the layout into the
// script as JSON.
var page = template.Must(template.New("trace").Parse(pageSource))

// pageData is what the template draws.
type pageData struct {
	Layout  *Layout
	Diagram diagram
	// Nodes and Steps count the lanes and steps, for the caption.
	Nodes, Steps int
}

// WriteHTML renders t as one self-contained HTML page (inline CSS, SVG and
// script; it loads nothing): a space-time diagram with a lane per node,
// message arrows (a cross where a message is dropped or lost at a down
// node, copies marked, messages never delivered dashed), crashes,
// recoveries and timers, and the violating step highlighted with the
// property's message. Clicking an event shows the node's state after it
// and the event's Lamport and vector timestamps; the arrow keys step
// through the execution. It draws t's Layout.
func WriteHTML(w io.Writer, t *Trace) error {
	return t.Layout().HTML(w)
}

// HTML writes the layout as the page WriteHTML makes.
func (l *Layout) HTML(w io.Writer) error {
	return page.Execute(w, pageData{Layout: l, Diagram: l.geometry(), Nodes: len(l.Lanes), Steps: len(l.Rows) - 1})
}
