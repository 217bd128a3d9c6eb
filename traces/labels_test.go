package traces

import "testing"

func TestLabelBoxesOverlapOnlyWhenTheyMeet(t *testing.T) {
	flat := labelBox(100, 100, 60, 12, 0)
	for _, c := range []struct {
		name string
		b    box
		want bool
	}{
		{"same place", labelBox(100, 100, 60, 12, 0), true},
		{"just above", labelBox(100, 87, 60, 12, 0), false},
		{"touching ends", labelBox(158, 100, 60, 12, 0), true},
		{"beside", labelBox(162, 100, 60, 12, 0), false},
		// A steep label beside a flat one: their bounding boxes meet,
		// the labels do not.
		{"steep, clear of the end", labelBox(142, 80, 60, 12, 70), false},
		{"steep, across the middle", labelBox(100, 100, 60, 12, 70), true},
	} {
		if got := flat.overlaps(c.b); got != c.want || c.b.overlaps(flat) != c.want {
			t.Errorf("%s: overlaps %v, want %v", c.name, got, c.want)
		}
	}
}
