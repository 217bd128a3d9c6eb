package explore

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// defaultWalkLength is the length of a random walk when MaxDepth is unset.
const defaultWalkLength = 100

// defaultWalks is the number of walks when no other bound is set.
const defaultWalks = 10_000

// random runs seeded random walks. Every edge of every visited state is
// checked against the transition properties and every successor against
// the state properties, so a walk finds a violation one step off its path
// as well as on it. The visited set only counts distinct states.
func (sr *search[S, A]) random() {
	seed := sr.opts.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
		if seed == 0 {
			seed = 1
		}
	}
	sr.seed = seed
	rng := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	walkLen := sr.opts.MaxDepth
	if walkLen == 0 {
		walkLen = defaultWalkLength
	}
	walks := sr.opts.Walks
	if walks == 0 && sr.opts.MaxStates == 0 && sr.opts.Timeout == 0 && sr.opts.Context == nil {
		walks = defaultWalks
	}
	sys := sr.sys
	checkEdges := len(sr.props.transition) > 0
	checkQuiet := len(sr.props.quiescent) > 0
	var edges []Edge[S, A]
	var steps int64
	// The walk is shared with refs; violate and checkState copy it when
	// they keep one.
	chainRef := func(chain []uint32, extra int, fp uint64) ref {
		return ref{chain: chain, ord: int32(extra), fp: fp}
	}
	for walk := int64(0); walks == 0 || walk < walks; walk++ {
		if sr.overBudget() {
			return
		}
		start := rng.IntN(len(sr.inits))
		sr.transitions.Add(1)
		s := sr.inits[start]
		chain := []uint32{uint32(start)}
		fp := sys.Fingerprint(s)
		if sr.set.insert(fp) {
			sr.states.Add(1)
		}
		if sr.checkState(s, chainRef(chain, -1, fp), [2]int64{}) {
			return
		}
		for d := 0; d < walkLen; d++ {
			edges = Edges(sys, s, edges[:0])
			sr.transitions.Add(int64(len(edges)))
			quiet := true
			for k := range edges {
				e := &edges[k]
				efp := sys.Fingerprint(e.State)
				if efp != fp && !e.Fault {
					quiet = false
				}
				if checkEdges && sr.checkEdge(s, e, chainRef(chain, k, efp), [2]int64{}) {
					return
				}
				if sr.set.insert(efp) {
					sr.states.Add(1)
					if sr.checkState(e.State, chainRef(chain, k, efp), [2]int64{}) {
						return
					}
				}
			}
			if quiet && checkQuiet && sr.checkQuiescent(s, chainRef(chain, -1, fp), [2]int64{}) {
				return
			}
			if len(edges) == 0 {
				break
			}
			k := rng.IntN(len(edges))
			chain = append(chain, uint32(k))
			s, fp = edges[k].State, sys.Fingerprint(edges[k].State)
			if d+1 > sr.maxDepth {
				sr.maxDepth = d + 1
				sr.depth.Store(int64(sr.maxDepth))
			}
			if steps++; sr.opts.MaxStates > 0 && steps >= sr.opts.MaxStates {
				sr.stop(fmt.Sprintf("max-states %d (steps)", sr.opts.MaxStates))
				return
			}
		}
	}
	sr.stop(fmt.Sprintf("random simulation never exhausts the space (%d walks of up to %d steps, seed %d)", walks, walkLen, seed))
}
