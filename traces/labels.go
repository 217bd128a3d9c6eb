package traces

import (
	"cmp"
	"math"
	"slices"
)

// placeLabels writes each message's label along its arrow, turned with
// it, just above or below the line, at the point nearest its middle where
// it meets no other label, no mark, and stays inside the picture: on one
// line if the arrow is long enough, else wrapped on two or three. Where
// no such point exists the arrow keeps no label (its tooltip and the
// panels of the events at its ends still name the message): two labels
// written over each other say nothing. Short arrows, which have the fewest
// places, are labelled first; messages still in flight last, near their
// start.
func (d *diagram) placeLabels() {
	var taken []box
	for _, ln := range d.Lanes {
		taken = append(taken, ln.Name.Box)
	}
	for _, r := range d.Rows {
		taken = append(taken, r.Num.Box)
	}
	taken = append(taken, d.End.Box)
	if d.Violation != nil {
		taken = append(taken, d.Violation.Box)
	}
	for _, m := range d.Marks {
		if len(m.Label.Lines) > 0 {
			taken = append(taken, m.Label.Box)
		}
		taken = append(taken, axisBox(m.X-markR-3, m.Y-markR-3, m.X+markR+3, m.Y+markR+3))
	}
	order := make([]int, 0, len(d.Arrows))
	for i, a := range d.Arrows {
		if a.message != "" {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &d.Arrows[i], &d.Arrows[j]
		if fa, fb := a.Fate == FateInFlight, b.Fate == FateInFlight; fa != fb {
			if fa {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.length(), b.length())
	})
	frame := axisBox(2, 2, float64(d.Width)-2, float64(d.Height)-2)
	for _, i := range order {
		a := &d.Arrows[i]
		for _, t := range a.candidates() {
			if !frame.holds(t.Box) || t.Box.meetsAny(taken) {
				continue
			}
			a.Label = t
			taken = append(taken, t.Box)
			break
		}
	}
}

func (a *arrowShape) length() float64 { return math.Hypot(a.X2-a.X1, a.Y2-a.Y1) }

// candidates are the places a's label may go, best first.
func (a *arrowShape) candidates() []textShape {
	full := textWidth(a.message, labelSize)
	variants := [][]string{{a.message}}
	for _, parts := range []float64{2, 3} {
		if v := wrap(a.message, full/parts+labelSize, labelSize); len(v) > len(variants[len(variants)-1]) {
			variants = append(variants, v)
		}
	}
	var out []textShape
	for _, lines := range variants {
		w, h := widest(lines, labelSize), float64(len(lines))*lineH
		if a.Loop {
			// Beside the loop's far side, at its middle or above or below.
			x, mid := a.X1+52, (a.Y1+a.Y2)/2
			for _, dy := range spread(0, 7, 12) {
				cy := mid + dy
				out = append(out, textAt(lines, x+w/2, cy, w, h, 0))
			}
			continue
		}
		length := a.length()
		lo, hi := w/2+markR, length-w/2-markR-4
		if hi < lo {
			continue // the label is longer than the arrow
		}
		ux, uy := (a.X2-a.X1)/length, (a.Y2-a.Y1)/length
		nx, ny := -uy, ux
		if ny > 0 {
			nx, ny = -nx, -ny // above the line first
		}
		start := (lo + hi) / 2
		if a.Fate == FateInFlight {
			start = lo // near its start: its end is past the last step
		}
		for _, along := range spread(start, 8, int((hi-lo)/8)+1) {
			if along < lo || along > hi {
				continue
			}
			for _, side := range []float64{1, -1} {
				off := side * (h/2 + 3)
				cx, cy := a.X1+ux*along+nx*off, a.Y1+uy*along+ny*off
				out = append(out, textAt(lines, cx, cy, w, h, a.Angle))
			}
		}
	}
	return out
}

// spread is from, then from ± step, ± 2 step, … n times each way.
func spread(from, step float64, n int) []float64 {
	out := []float64{from}
	for k := 1; k <= n; k++ {
		out = append(out, from-float64(k)*step, from+float64(k)*step)
	}
	return out
}

// textAt is a label of lines centred on (cx, cy), w by h, turned by angle
// degrees about its centre.
func textAt(lines []string, cx, cy, w, h, angle float64) textShape {
	t := textShape{Anchor: "middle", Angle: angle, CX: cx, CY: cy, Box: labelBox(cx, cy, w+4, h, angle)}
	for k, s := range lines {
		t.Lines = append(t.Lines, lineShape{X: cx, Y: cy - h/2 + ascent + float64(k)*lineH, Text: s})
	}
	return t
}

// box is a label's rectangle: centre, half width and half height, turned
// by the angle whose sine and cosine it keeps.
type box struct{ cx, cy, hw, hh, sin, cos float64 }

// labelBox is the box of a label w by h, turned by angle degrees about
// its centre (cx, cy).
func labelBox(cx, cy, w, h, angle float64) box {
	sin, cos := math.Sincos(angle * math.Pi / 180)
	return box{cx, cy, w / 2, h / 2, sin, cos}
}

// axisBox is the unturned box from (x1, y1) to (x2, y2).
func axisBox(x1, y1, x2, y2 float64) box {
	return box{(x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / 2, (y2 - y1) / 2, 0, 1}
}

// overlaps tells whether two boxes meet: they do unless one of their four
// edge directions separates them.
func (b box) overlaps(c box) bool {
	// Far apart on x or y: no need to turn anything.
	if math.Abs(c.cx-b.cx) > b.reach([2]float64{1, 0})+c.reach([2]float64{1, 0}) ||
		math.Abs(c.cy-b.cy) > b.reach([2]float64{0, 1})+c.reach([2]float64{0, 1}) {
		return false
	}
	for _, axis := range [][2]float64{{b.cos, b.sin}, {-b.sin, b.cos}, {c.cos, c.sin}, {-c.sin, c.cos}} {
		dist := math.Abs((c.cx-b.cx)*axis[0] + (c.cy-b.cy)*axis[1])
		if dist > b.reach(axis)+c.reach(axis) {
			return false
		}
	}
	return true
}

func (b box) meetsAny(boxes []box) bool {
	for _, c := range boxes {
		if b.overlaps(c) {
			return true
		}
	}
	return false
}

// holds tells whether the unturned box b contains all of c.
func (b box) holds(c box) bool {
	rx, ry := c.reach([2]float64{1, 0}), c.reach([2]float64{0, 1})
	return c.cx-rx >= b.cx-b.hw && c.cx+rx <= b.cx+b.hw && c.cy-ry >= b.cy-b.hh && c.cy+ry <= b.cy+b.hh
}

// reach is how far the box extends from its centre along a unit axis.
func (b box) reach(axis [2]float64) float64 {
	return b.hw*math.Abs(b.cos*axis[0]+b.sin*axis[1]) + b.hh*math.Abs(-b.sin*axis[0]+b.cos*axis[1])
}
