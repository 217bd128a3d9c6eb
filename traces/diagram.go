package traces

import (
	"fmt"
	"math"
	"strings"
)

// diagram is a Layout in pixels: where the HTML page draws each lane, row,
// mark, arrow and label of its SVG space-time diagram.
//
// Every text is placed here, with a bound on its size (text_measure.go),
// so that no two labels meet and none leaves the picture: each lane owns
// the column to its right, where its events' labels are written, wrapped
// to the column's width and stacked when a step has several; a row is as
// tall as its labels need; the columns are as wide as the labels need and
// as the page allows; a message's label goes along its arrow where it
// meets no other label and no mark, or is left to its tooltip.
type diagram struct {
	Width, Height int
	Lanes         []laneShape
	Rows          []rowShape
	Marks         []markShape
	Arrows        []arrowShape
	// EndY is the line below the last step where messages still in
	// flight end; End is its label.
	EndY float64
	End  textShape
	// Violation is the broken property's label at the violating row
	// (nil without one); Band the row's highlight.
	Violation *textShape
	Band      struct{ Y, H float64 }
}

// textShape is one label: its lines at absolute positions, anchored at
// their start, middle or end, turned by Angle degrees about (CX, CY).
type textShape struct {
	Lines  []lineShape
	Anchor string
	Angle  float64
	CX, CY float64
	// Box is where the label is, for placing the others.
	Box box
}

// lineShape is one line of a label; Y is its baseline.
type lineShape struct {
	X, Y float64
	Text string
}

type laneShape struct {
	Index  int
	Name   textShape
	X      float64
	Y1, Y2 float64
	// Down are the stretches where the node is down, as y ranges.
	Down []downShape
}

type downShape struct{ Y1, H float64 }

type rowShape struct {
	Step      int
	Y         float64
	Num       textShape
	Action    string
	Violating bool
}

type markShape struct {
	Index, Event, Step, Lane int
	Kind                     string
	X, Y                     float64
	// Label is the text beside the mark (no lines for none), Title the
	// tooltip.
	Label     textShape
	Title     string
	Violating bool
	Crashed   bool
	// Span is the x range of a mark of the whole system (stabilisation).
	X1, X2 float64
}

type arrowShape struct {
	Index, From, To int
	Fate            string
	Copy            bool
	// Path is the SVG path of the line, from the send to the end point.
	Path           string
	X1, Y1, X2, Y2 float64
	// Label is the message along the arrow (no lines where it would meet
	// another label); Title is the full text, the tooltip.
	Label textShape
	Title string
	Angle float64
	// Loop: a message to oneself, drawn as a loop to the right.
	Loop bool
	// Cross: the arrow ends in a cross (dropped, or lost at a down node).
	Cross bool
	// Head: the arrow ends in an arrowhead (delivered).
	Head bool
	// message is the text its label writes.
	message string
}

// Diagram geometry, in pixels.
const (
	numX      = 40  // right end of the step numbers
	firstLane = 100 // the first lane
	// A column (a lane and the room to its right for its labels) is
	// between minGap and maxGap wide: the diagram takes targetWidth, which
	// leaves room for the panels beside it on a wide screen, unless its
	// lanes are too many for it; labels wrap to their column.
	minGap      = 170
	maxGap      = 320
	targetWidth = 950
	labelGap    = 12 // from a lane to its labels, and from labels to the next lane
	nameY       = 40 // baseline of the lane names
	nameSize    = 13
	numSize     = 12
	firstRow    = 84 // row 0
	rowGap      = 52 // between rows, at least
	markR       = 7  // a mark's radius
	// A label's first line sits this far above its row's line (its top),
	// and its baseline this far below its top.
	labelAbove = 17
	ascent     = 10.5
)

// geometry computes the pixel diagram of l. A message whose label finds
// no place along its arrow is named at the mark that ends it instead
// ("receive VoteResponse(t1 granted)"), where its column always has room;
// that makes rows taller and moves other labels, so it is done again, a
// few times at most.
func (l *Layout) geometry() diagram {
	atEnd := map[int]bool{} // arrows named at their end's mark
	for range 4 {
		d := l.draw(atEnd)
		more := false
		for _, a := range d.Arrows {
			if a.message != "" && len(a.Label.Lines) == 0 && !atEnd[a.Index] && a.Fate != FateInFlight {
				atEnd[a.Index], more = true, true
			}
		}
		if !more {
			return d
		}
	}
	return l.draw(atEnd)
}

// draw computes the pixel diagram of l, with the messages of the arrows
// in atEnd named at the marks that end them.
func (l *Layout) draw(atEnd map[int]bool) diagram {
	texts := make([]string, len(l.Marks))
	markOf := map[int]int{} // event → its mark
	for i, m := range l.Marks {
		texts[i] = markText(m)
		markOf[m.Event] = i
	}
	for i, a := range l.Arrows {
		if k, ok := markOf[a.To]; ok && atEnd[i] {
			m := l.Marks[k]
			texts[k] = strings.TrimSuffix(m.Kind+" "+a.Message+", "+texts[k], ", ")
		}
	}
	g := newGrid(l)
	d := diagram{Width: int(math.Ceil(g.right)) + 8}
	g.rowsFor(l, texts)
	// Messages still in flight run on below the last step: the more
	// there are, the more room their labels get.
	inFlight := 0
	for _, a := range l.Arrows {
		if a.Fate == FateInFlight {
			inFlight++
		}
	}
	d.EndY = g.ys[len(l.Rows)] + rowGap/2 + 10*float64(min(inFlight, 8))
	d.Height = int(d.EndY) + 24
	for i, ln := range l.Lanes {
		ls := laneShape{Index: i, Name: g.centred(ln.Name, g.laneX(i), nameY, nameSize), X: g.laneX(i), Y1: nameY + 16, Y2: d.EndY}
		for _, s := range ln.Down {
			y1, y2 := g.ys[min(s.From, len(l.Rows))], g.ys[min(s.To, len(l.Rows))]
			if s.To >= len(l.Rows) {
				y2 = d.EndY // down to the end
			}
			ls.Down = append(ls.Down, downShape{Y1: y1, H: y2 - y1})
		}
		d.Lanes = append(d.Lanes, ls)
	}
	for _, r := range l.Rows {
		y := g.ys[r.Step]
		num := textShape{Anchor: "end", Lines: []lineShape{{X: numX, Y: y + 4, Text: fmt.Sprint(r.Step)}}}
		num.Box = axisBox(numX-textWidth(num.Lines[0].Text, numSize), y-8, numX, y+6)
		d.Rows = append(d.Rows, rowShape{Step: r.Step, Y: y, Num: num, Action: r.Action, Violating: l.Violation != nil && r.Step == l.Violation.Step})
	}
	d.End = textShape{Anchor: "end", Lines: []lineShape{{X: numX, Y: d.EndY + 4, Text: "end"}}}
	d.End.Box = axisBox(numX-textWidth("end", numSize), d.EndY-8, numX, d.EndY+6)
	for i, m := range l.Marks {
		d.Marks = append(d.Marks, g.markShape(l, i, m))
	}
	if v := l.Violation; v != nil && v.Step < len(l.Rows) {
		t := g.violation
		d.Violation = &t
		y := g.ys[v.Step]
		top, bottom := min(y-24, y-labelAbove-3), max(y+24, y-labelAbove+g.heights[v.Step]+3)
		d.Band.Y, d.Band.H = top, bottom-top
	}
	byEvent := map[int]*markShape{}
	for i := range d.Marks {
		byEvent[d.Marks[i].Event] = &d.Marks[i]
	}
	for i, a := range l.Arrows {
		if a.FromLane < 0 || a.FromLane >= len(l.Lanes) || a.ToLane < 0 || a.ToLane >= len(l.Lanes) {
			continue
		}
		var dup *markShape
		if m, ok := byEvent[a.Duplicated]; ok && a.Copy && m.Kind == KindDuplicate && m.Lane >= 0 {
			dup = m
		}
		s := g.arrowShape(i, a, dup, d.EndY)
		if atEnd[i] {
			s.message = "" // named at its end
		}
		d.Arrows = append(d.Arrows, s)
	}
	d.placeLabels()
	return d
}

// grid is the diagram's frame: where the lanes and rows are, and the
// labels of the marks, laid out before the rows' heights are known.
type grid struct {
	n   int
	gap float64
	// right is the right end of the last lane's column.
	right float64
	// ys[s] is row s's line; ys[len(rows)] the line after the last.
	ys []float64
	// heights[s] is the height of the labels row s holds (its tallest
	// column).
	heights []float64
	// labels[i] are mark i's label lines and where they start: the
	// column's x, and how far below the top of the row's labels.
	labels []markLabel
	// violation is the property's label in the violating row.
	violation textShape
	violTop   float64
}

type markLabel struct {
	lines  []string
	x      float64
	offset float64 // the height of the labels above it in its row and column
}

// violH is the height of a line of the violation's label (12 px bold).
const violH = 16

func newGrid(l *Layout) *grid {
	g := &grid{n: max(len(l.Lanes), 1)}
	name := 0.0
	for _, ln := range l.Lanes {
		name = max(name, textWidth(ln.Name, nameSize)*1.1+2*labelGap)
	}
	g.gap = max(min(max((targetWidth-firstLane-8)/float64(g.n), minGap), maxGap), name)
	g.right = g.laneX(g.n-1) + g.gap
	return g
}

func (g *grid) laneX(i int) float64 { return firstLane + float64(i)*g.gap }

// column is the column a point at x is in, and the right end of the room
// its labels have.
func (g *grid) column(x float64) (int, float64) {
	c := min(max(int(math.Floor((x-firstLane+markR)/g.gap)), 0), g.n-1)
	return c, g.laneX(c) + g.gap - labelGap
}

// linkX places an event of the network on the link from lane from to lane
// to, never on a lane between them: a duplication half a column after
// the sender, a drop a third of a column before the receiver.
func (g *grid) linkX(kind string, from, to int) float64 {
	dir := 1.0
	if to < from {
		dir = -1
	}
	if kind == KindDrop {
		return g.laneX(to) - dir*0.35*g.gap
	}
	return g.laneX(from) + dir*0.5*g.gap
}

// markX is where mark m is drawn (its centre), or, for an event of the
// whole system, the start of its line.
func (g *grid) markX(l *Layout, m Mark) float64 {
	inLanes := m.Lane >= 0 && m.Lane < len(l.Lanes)
	switch {
	case m.OnLink && inLanes && m.Peer >= 0 && m.Peer < len(l.Lanes):
		return g.linkX(m.Kind, m.Peer, m.Lane)
	case inLanes:
		return g.laneX(m.Lane)
	}
	return g.laneX(0) - 30
}

// rowsFor wraps every mark's label into its column, stacks the labels of
// a step that share a column, and makes each row as tall as its labels.
func (g *grid) rowsFor(l *Layout, texts []string) {
	rows := len(l.Rows)
	g.heights = make([]float64, rows)
	g.labels = make([]markLabel, len(l.Marks))
	used := make([]map[int]float64, rows) // row → column → height used
	for i := range used {
		used[i] = map[int]float64{}
	}
	for i, m := range l.Marks {
		text := texts[i]
		if text == "" || m.Step < 0 || m.Step >= rows {
			continue
		}
		x := g.markX(l, m) + markR + 5
		if m.Lane < 0 || m.Lane >= len(l.Lanes) {
			x = g.laneX(g.n-1) + 34 // after the system's line
		}
		c, right := g.column(x)
		lines := wrap(text, max(right-x, 60), labelSize)
		g.labels[i] = markLabel{lines: lines, x: x, offset: used[m.Step][c]}
		used[m.Step][c] += float64(len(lines)) * lineH
	}
	if v := l.Violation; v != nil && v.Step < rows {
		c, right := g.column(g.right - 1)
		text := "✗ " + v.Property
		lines := wrap(text, right-g.laneX(c)-labelGap, 12)
		if used[v.Step][c] > 0 {
			used[v.Step][c] += 3
		}
		g.violTop = used[v.Step][c]
		used[v.Step][c] += float64(len(lines)) * violH
		g.violation = textShape{Anchor: "end", Lines: make([]lineShape, len(lines))}
		for k, s := range lines {
			g.violation.Lines[k].Text = s
		}
	}
	for s := range rows {
		for _, n := range used[s] {
			g.heights[s] = max(g.heights[s], n)
		}
	}
	g.ys = make([]float64, rows+1)
	y := float64(firstRow)
	for s := range rows {
		g.ys[s] = y
		y += max(rowGap, g.heights[s]+8)
	}
	g.ys[rows] = y
	if v := l.Violation; v != nil && v.Step < rows {
		_, right := g.column(g.right - 1)
		top := g.ys[v.Step] - labelAbove + g.violTop
		for k := range g.violation.Lines {
			g.violation.Lines[k].X, g.violation.Lines[k].Y = right, top+12+float64(k)*violH
		}
		w := widest(textsOf(g.violation.Lines), 12)
		g.violation.Box = axisBox(right-w, top, right, top+float64(len(g.violation.Lines))*violH)
	}
}

func textsOf(lines []lineShape) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

// centred is a one-line label centred on x, with its baseline at y.
func (g *grid) centred(s string, x, y, size float64) textShape {
	w := textWidth(s, size) * 1.1 // the lane names are bold
	return textShape{Anchor: "middle", Lines: []lineShape{{X: x, Y: y, Text: s}}, Box: axisBox(x-w/2, y-size, x+w/2, y+size*0.3)}
}

// markText is what is written beside a mark: what happened (a request's
// or a timer's name, a crash), then what the node observed (what the
// properties read: a reply, a delivery, a leader elected) or, failing
// that, the timers it set; the event's panel lists everything.
func markText(m Mark) string {
	var parts []string
	switch m.Kind {
	case KindRequest, KindTimer, KindChoose:
		if m.Message != "" {
			parts = append(parts, m.Message)
		}
	case KindCrash, KindRecover, KindForge, KindStabilize:
		parts = append(parts, m.Kind)
	case KindStep:
		if m.Action != "" {
			parts = append(parts, m.Action)
		}
	}
	parts = append(parts, m.Observations...)
	if len(m.Observations) == 0 {
		for _, tm := range m.Timers {
			if strings.HasPrefix(tm, "-") {
				parts = append(parts, "cancels "+tm[1:])
			} else {
				parts = append(parts, "sets "+strings.TrimPrefix(tm, "+"))
			}
		}
	}
	s := strings.Join(parts, ", ")
	if m.Crashed {
		s = strings.TrimSpace(s + " ✗ crashes")
	}
	return s
}

func (g *grid) markShape(l *Layout, i int, m Mark) markShape {
	s := markShape{Index: i, Event: m.Event, Step: m.Step, Lane: m.Lane, Kind: m.Kind, Violating: m.Violating, Crashed: m.Crashed}
	if m.Step >= 0 && m.Step < len(g.ys) {
		s.Y = g.ys[m.Step]
	}
	s.Title = fmt.Sprintf("step %d: %s", m.Step, m.Label)
	if m.Action != "" {
		s.Title = fmt.Sprintf("step %d: %s", m.Step, m.Action)
	}
	s.X = g.markX(l, m)
	if m.Lane < 0 || m.Lane >= len(l.Lanes) {
		// An event of the whole system: a line across every lane.
		s.Lane = -1
		s.X1, s.X2 = s.X, g.laneX(g.n-1)+30
	}
	ml := g.labels[i]
	if len(ml.lines) > 0 {
		top := s.Y - labelAbove + ml.offset
		s.Label = textShape{Anchor: "start"}
		for k, text := range ml.lines {
			s.Label.Lines = append(s.Label.Lines, lineShape{X: ml.x, Y: top + ascent + float64(k)*lineH, Text: text})
		}
		s.Label.Box = axisBox(ml.x, top, ml.x+widest(ml.lines, labelSize), top+float64(len(ml.lines))*lineH)
	}
	return s
}

// arrowShape places arrow a: a straight line from the send to its end (a
// loop for a message to oneself). A copy the network made starts where it
// was made, at the duplication's mark (dup, if there is one). Its label is
// placed later, with all the others.
func (g *grid) arrowShape(i int, a Arrow, dup *markShape, endY float64) arrowShape {
	s := arrowShape{Index: i, From: a.From, To: a.To, Fate: a.Fate, Copy: a.Copy, Title: a.Message, message: a.Message}
	x1, y1 := g.laneX(a.FromLane), g.ys[min(a.FromStep, len(g.ys)-1)]
	if dup != nil {
		x1, y1 = dup.X, dup.Y
	}
	x2, y2 := g.laneX(a.ToLane), g.ys[min(a.ToStep, len(g.ys)-1)]
	switch a.Fate {
	case FateDelivered:
		s.Head = true
	case FateLost:
		s.Cross = true
	case FateDropped:
		// The network lost it on the way: the line stops short.
		x2 = g.linkX(KindDrop, a.FromLane, a.ToLane)
		s.Cross = true
	case FateInFlight:
		// It would arrive after the end: the line runs to the receiver's
		// lane below the last step (half a row further, so that it does
		// not run through the marks of a delivered copy's line), open-ended.
		y2 = endY
		s.Title += " (still in flight)"
	}
	if s.Copy {
		s.Title += " (a copy made by the network)"
	}
	if a.FromLane == a.ToLane {
		// A message to oneself loops out to the right.
		s.Loop = true
		s.X1, s.Y1, s.X2, s.Y2 = x1, y1, x1, y2
		s.Path = fmt.Sprintf("M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1+60, y1, x1+60, y2, x1+markR, y2)
		return s
	}
	// Start and end at the marks' rims, not their centres.
	dx, dy := x2-x1, y2-y1
	length := math.Hypot(dx, dy)
	ux, uy := dx/length, dy/length
	x1, y1 = x1+ux*markR, y1+uy*markR
	if a.Fate == FateDelivered || a.Fate == FateLost {
		x2, y2 = x2-ux*(markR+1), y2-uy*(markR+1)
	}
	s.X1, s.Y1, s.X2, s.Y2 = x1, y1, x2, y2
	s.Path = fmt.Sprintf("M%.1f %.1fL%.1f %.1f", x1, y1, x2, y2)
	s.Angle = math.Atan2(dy, dx) * 180 / math.Pi
	if s.Angle > 90 || s.Angle < -90 {
		s.Angle -= math.Copysign(180, s.Angle)
	}
	return s
}
