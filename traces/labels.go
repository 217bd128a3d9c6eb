package traces

import "math"

// placeLabels puts each arrow's label along its line, turned with it, at
// the first of a few points above or below the line where it overlaps no
// label placed before it (or, failing that, the fewest): crossing arrows would
// otherwise write over each other in the middle. Delivered, lost and
// dropped messages are labelled first; a message still in flight is
// labelled near its start, and only where its label overlaps nothing (its
// tooltip and the details panel still name it).
func (d *diagram) placeLabels() {
	var placed []box
	order := make([]int, 0, len(d.Arrows))
	for pass := range 2 {
		for i, a := range d.Arrows {
			if (a.Fate == FateInFlight) == (pass == 1) {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		a := &d.Arrows[i]
		if a.X1 == a.X2 {
			continue // a loop: its label is placed with it
		}
		along := []float64{0.5, 0.38, 0.62, 0.28, 0.72}
		if a.Fate == FateInFlight {
			along = []float64{0.22, 0.3, 0.14, 0.38, 0.46, 0.54}
		}
		dx, dy := a.X2-a.X1, a.Y2-a.Y1
		length := math.Hypot(dx, dy)
		nx, ny := -dy/length, dx/length
		if ny > 0 {
			nx, ny = -nx, -ny
		}
		best, fewest := box{}, math.MaxInt
		// Above the line at each point, then below it.
		for k := range 2 * len(along) {
			t, side := along[k%len(along)], 6.0
			if k >= len(along) {
				side = -9
			}
			b := labelBox(a.X1+dx*t+nx*side, a.Y1+dy*t+ny*side, float64(len([]rune(a.Label)))*charW, a.Angle)
			n := 0
			for _, p := range placed {
				if b.overlaps(p) {
					n++
				}
			}
			if n < fewest {
				best, fewest = b, n
			}
			if n == 0 {
				break
			}
		}
		if a.Fate == FateInFlight && fewest > 0 {
			a.Label = ""
			continue
		}
		a.LX, a.LY = best.cx, best.cy
		placed = append(placed, best)
	}
}

// box is a label's rectangle: centre, half width and half height, turned
// by the angle whose sine and cosine it keeps.
type box struct{ cx, cy, hw, hh, sin, cos float64 }

// labelBox is the box of a label of width w, 12 pixels high, turned by
// angle degrees about its centre (cx, cy).
func labelBox(cx, cy, w, angle float64) box {
	sin, cos := math.Sincos(angle * math.Pi / 180)
	return box{cx, cy, w / 2, 6, sin, cos}
}

// overlaps tells whether two boxes meet: they do unless one of their four
// edge directions separates them.
func (b box) overlaps(c box) bool {
	for _, axis := range [][2]float64{{b.cos, b.sin}, {-b.sin, b.cos}, {c.cos, c.sin}, {-c.sin, c.cos}} {
		dist := math.Abs((c.cx-b.cx)*axis[0] + (c.cy-b.cy)*axis[1])
		if dist > b.reach(axis)+c.reach(axis) {
			return false
		}
	}
	return true
}

// reach is how far the box extends from its centre along a unit axis.
func (b box) reach(axis [2]float64) float64 {
	return b.hw*math.Abs(b.cos*axis[0]+b.sin*axis[1]) + b.hh*math.Abs(-b.sin*axis[0]+b.cos*axis[1])
}
