package traces

import (
	"fmt"
	"math"
	"strings"
)

// diagram is a Layout in pixels: where the HTML page draws each lane, row,
// mark and arrow of its SVG space-time diagram.
type diagram struct {
	Width, Height int
	Lanes         []laneShape
	Rows          []rowShape
	Marks         []markShape
	Arrows        []arrowShape
	// EndY is the line below the last step where messages still in
	// flight end.
	EndY float64
}

type laneShape struct {
	Index  int
	Name   string
	X      float64
	Y1, Y2 float64
	// Down are the stretches where the node is down, as y ranges.
	Down []downShape
}

type downShape struct{ Y1, H float64 }

type rowShape struct {
	Step      int
	Y         float64
	Action    string
	Violating bool
}

type markShape struct {
	Index, Event, Step, Lane int
	Kind                     string
	X, Y                     float64
	// Label is the short text beside the mark ("" for none) at (LX, LY),
	// Title the tooltip.
	Label, Title string
	LX, LY       float64
	Violating    bool
	Crashed      bool
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
	// Label is the message, shortened to fit along the arrow, at (LX, LY)
	// turned by Angle degrees; Title is the full text.
	Label, Title string
	LX, LY       float64
	Angle        float64
	// Cross: the arrow ends in a cross (dropped, or lost at a down node).
	Cross bool
	// Head: the arrow ends in an arrowhead (delivered).
	Head bool
}

// Diagram geometry, in pixels.
const (
	gutter    = 56  // left margin, for step numbers
	laneLeft  = 70  // from the gutter to the first lane
	laneGap   = 170 // between lanes
	rightEdge = 150 // after the last lane
	headTop   = 46  // lane names
	firstRow  = 84  // row 0
	rowGap    = 52  // between rows
	markR     = 7   // a mark's radius
	charW     = 6.3 // average width of a label character
)

func laneX(i int) float64 { return gutter + laneLeft + float64(i)*laneGap }

// linkX places an event of the network on the link from lane from to lane
// to, never on a lane between them: a duplication half a lane gap after
// the sender, a drop a third of a gap before the receiver.
func linkX(kind string, from, to int) float64 {
	dir := 1.0
	if to < from {
		dir = -1
	}
	if kind == KindDrop {
		return laneX(to) - dir*0.35*laneGap
	}
	return laneX(from) + dir*0.5*laneGap
}
func rowY(s int) float64 { return firstRow + float64(s)*rowGap }

// geometry computes the pixel diagram of l.
func (l *Layout) geometry() diagram {
	n := max(len(l.Lanes), 1)
	d := diagram{
		Width:  int(laneX(n-1)) + rightEdge,
		EndY:   rowY(len(l.Rows)) + rowGap/2,
		Height: int(rowY(len(l.Rows))+rowGap/2) + 24,
	}
	for i, ln := range l.Lanes {
		ls := laneShape{Index: i, Name: ln.Name, X: laneX(i), Y1: headTop + 10, Y2: d.EndY}
		for _, s := range ln.Down {
			y1, y2 := rowY(s.From), rowY(s.To)
			if s.To >= len(l.Rows) {
				y2 = d.EndY // down to the end
			}
			ls.Down = append(ls.Down, downShape{Y1: y1, H: y2 - y1})
		}
		d.Lanes = append(d.Lanes, ls)
	}
	for _, r := range l.Rows {
		d.Rows = append(d.Rows, rowShape{Step: r.Step, Y: rowY(r.Step), Action: r.Action, Violating: l.Violation != nil && r.Step == l.Violation.Step})
	}
	byEvent := map[int]*markShape{}
	for i, m := range l.Marks {
		d.Marks = append(d.Marks, l.markShape(i, m))
	}
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
		d.Arrows = append(d.Arrows, arrowShapeOf(i, a, dup))
	}
	d.placeLabels()
	return d
}

func (l *Layout) markShape(i int, m Mark) markShape {
	s := markShape{Index: i, Event: m.Event, Step: m.Step, Lane: m.Lane, Kind: m.Kind, Y: rowY(m.Step), Violating: m.Violating, Crashed: m.Crashed}
	s.Title = fmt.Sprintf("step %d: %s", m.Step, m.Label)
	if m.Action != "" {
		s.Title = fmt.Sprintf("step %d: %s", m.Step, m.Action)
	}
	inLanes := m.Lane >= 0 && m.Lane < len(l.Lanes)
	switch {
	case m.OnLink && inLanes && m.Peer >= 0 && m.Peer < len(l.Lanes):
		s.X = linkX(m.Kind, m.Peer, m.Lane)
	case inLanes:
		s.X = laneX(m.Lane)
	default:
		// An event of the whole system: a line across every lane.
		s.Lane = -1
		s.X1, s.X2 = laneX(0)-30, laneX(max(len(l.Lanes)-1, 0))+30
		s.X = s.X1
	}
	switch m.Kind {
	case KindRequest, KindTimer, KindChoose:
		s.Label = shorten(m.Message, 28)
	case KindCrash, KindRecover, KindForge, KindStabilize:
		s.Label = m.Kind
	case KindStep:
		s.Label = shorten(m.Action, 28)
	}
	var parts []string
	if s.Label != "" {
		parts = append(parts, s.Label)
	}
	// What the node observed is what the properties read (a reply, a
	// delivery, a leader elected): shown on the lane in place of the
	// timers; the event's panel lists everything.
	for _, o := range m.Observations {
		parts = append(parts, o)
	}
	for _, tm := range m.Timers {
		if len(m.Observations) > 0 {
			break
		}
		if strings.HasPrefix(tm, "-") {
			parts = append(parts, "cancels "+tm[1:])
		} else {
			parts = append(parts, "sets "+strings.TrimPrefix(tm, "+"))
		}
	}
	s.Label = strings.Join(parts, ", ")
	if m.Crashed {
		s.Label = strings.TrimSpace(s.Label + " ✗ crashes")
	}
	s.LX, s.LY = s.X+markR+5, s.Y-markR-2
	// A lane's label stays inside the diagram, and clear of the violation
	// mark at the right end of the violating row.
	room := float64(laneX(max(len(l.Lanes)-1, 0))+rightEdge) - s.LX - 8
	if m.Violating {
		room -= 110
	}
	if s.Lane >= 0 {
		s.Label = shorten(s.Label, max(int(room/charW), 12))
	}
	if s.Lane < 0 {
		s.LX, s.LY = s.X2+4, s.Y+4
	}
	return s
}

// arrowShapeOf places arrow a: a straight line from the send to its end
// (a loop for a message to oneself), its label along it.
// A copy the network made starts where it was made, at the duplication's
// mark (dup, if there is one).
func arrowShapeOf(i int, a Arrow, dup *markShape) arrowShape {
	s := arrowShape{Index: i, From: a.From, To: a.To, Fate: a.Fate, Copy: a.Copy, Title: a.Message}
	x1, y1 := laneX(a.FromLane), rowY(a.FromStep)
	if dup != nil {
		x1, y1 = dup.X, dup.Y
	}
	x2, y2 := laneX(a.ToLane), rowY(a.ToStep)
	switch a.Fate {
	case FateDelivered:
		s.Head = true
	case FateLost:
		s.Cross = true
	case FateDropped:
		// The network lost it on the way: the line stops short.
		x2 = linkX(KindDrop, a.FromLane, a.ToLane)
		s.Cross = true
	case FateInFlight:
		// It would arrive after the end: the line runs to the receiver's
		// lane below the last step (half a row further, so that it does
		// not run through the marks of a delivered copy's line), open-ended.
		y2 += rowGap / 2
		s.Title += " (still in flight)"
	}
	if s.Copy {
		s.Title += " (a copy made by the network)"
	}
	if a.FromLane == a.ToLane {
		// A message to oneself loops out to the right.
		s.X1, s.Y1, s.X2, s.Y2 = x1, y1, x1, y2
		s.Path = fmt.Sprintf("M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1+60, y1, x1+60, y2, x1+markR, y2)
		s.LX, s.LY = x1+50, (y1+y2)/2
		s.Label = shorten(a.Message, 24)
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
	s.Label = shorten(a.Message, int(math.Hypot(x2-x1, y2-y1)*0.8/charW))
	return s
}

// shorten cuts s to at most n characters, ending in "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 2 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}
