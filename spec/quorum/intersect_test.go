package quorum_test

import (
	"testing"

	"github.com/distsys/distsys/spec/quorum"
)

// Reference: course 5.2, "Check exhaustively: every r-set meets every
// w-set iff r+w > n". Intersect enumerates; the rule is the formula.
func TestQuorumsIntersectIffReadPlusWriteExceedsN(t *testing.T) {
	for n := 1; n <= quorum.MaxReplicas; n++ {
		for r := 1; r <= n; r++ {
			for w := 1; w <= n; w++ {
				if got, want := quorum.Intersect(n, r, w), r+w > n; got != want {
					t.Errorf("Intersect(%d, %d, %d) = %v, want %v", n, r, w, got, want)
				}
			}
		}
	}
}

func TestIntersectRejectsOutOfRange(t *testing.T) {
	for _, c := range [][3]int{{0, 1, 1}, {quorum.MaxIntersect + 1, 17, 17}, {3, 0, 3}, {3, 3, 0}, {3, 4, 1}, {3, 1, 4}} {
		if quorum.Intersect(c[0], c[1], c[2]) {
			t.Errorf("Intersect%v = true, want false", c)
		}
	}
	if !quorum.Intersect(quorum.MaxIntersect, 9, 8) || quorum.Intersect(quorum.MaxIntersect, 8, 8) {
		t.Errorf("Intersect at n = %d disagrees with r+w > n", quorum.MaxIntersect)
	}
}
