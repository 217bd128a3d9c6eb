package explore_test

import (
	"fmt"
	"time"
)

// grid is a test system with known answers: a point (x, y) in [0,k]², moving
// right or up one step at a time, so it has (k+1)² states, 2k(k+1) edges
// plus its one initial state, and the shortest path to (x, y) has x+y
// steps. With glitch set, a fault edge also sends any point with x > 0
// back to x = 0.
type grid struct {
	k      int
	glitch bool
	delay  time.Duration // slows Next, for progress tests
}

type point struct{ x, y int }

type move byte

func (g grid) Init() []point { return []point{{0, 0}} }

func (g grid) Next(p point, yield func(move, point, bool)) {
	if g.delay > 0 {
		time.Sleep(g.delay)
	}
	if p.x < g.k {
		yield('r', point{p.x + 1, p.y}, false)
	}
	if p.y < g.k {
		yield('u', point{p.x, p.y + 1}, false)
	}
	if g.glitch && p.x > 0 {
		yield('g', point{0, p.y}, true)
	}
}

func (g grid) Fingerprint(p point) uint64 { return uint64(p.x)<<32 | uint64(p.y) }

func (g grid) Label(p point, m move) string {
	switch m {
	case 'r':
		return fmt.Sprintf("right from %d,%d", p.x, p.y)
	case 'u':
		return fmt.Sprintf("up from %d,%d", p.x, p.y)
	}
	return fmt.Sprintf("glitch at %d,%d", p.x, p.y)
}
