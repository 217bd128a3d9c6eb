package explore

import "fmt"

type dfsItem[S any] struct {
	s     S
	idx   uint32
	depth int32
}

// dfs is single-threaded depth-first search with an explicit stack. A state
// is stored when first generated, so every state is expanded once; its
// counterexamples are valid executions but need not be shortest.
func (sr *search[S, A]) dfs() {
	sys := sr.sys
	var stack []dfsItem[S]
	sr.transitions.Add(int64(len(sr.inits)))
	for i := len(sr.inits) - 1; i >= 0; i-- {
		s := sr.inits[i]
		fp := sys.Fingerprint(s)
		if !sr.set.insert(fp) {
			continue
		}
		idx := sr.addRecord(rootParent, i)
		sr.states.Add(1)
		if sr.checkState(s, ref{idx: idx, ord: -1, fp: fp}, [2]int64{}) {
			return
		}
		stack = append(stack, dfsItem[S]{s: s, idx: idx})
	}
	var edges []Edge[S, A]
	var fresh []dfsItem[S]
	checkEdges := len(sr.props.transition) > 0
	checkQuiet := len(sr.props.quiescent) > 0
	maxDepth := int32(sr.opts.MaxDepth)
	steps := 0
	for len(stack) > 0 {
		if steps++; steps&1023 == 0 && sr.overBudget() {
			return
		}
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		sr.queue.Store(int64(len(stack)))
		edges = Edges(sys, it.s, edges[:0])
		pfp := sys.Fingerprint(it.s)
		atBound := maxDepth > 0 && it.depth >= maxDepth
		if !atBound {
			sr.transitions.Add(int64(len(edges)))
		}
		quiet := true
		fresh = fresh[:0]
		for k := range edges {
			e := &edges[k]
			fp := sys.Fingerprint(e.State)
			if fp != pfp && !e.Fault {
				quiet = false
			}
			if atBound {
				if fp != pfp && !sr.set.contains(fp) {
					sr.stop(fmt.Sprintf("max-depth %d", maxDepth))
				}
				continue
			}
			at := ref{idx: it.idx, ord: int32(k), fp: fp}
			if checkEdges && sr.checkEdge(it.s, e, at, [2]int64{}) {
				return
			}
			if fp == pfp || !sr.set.insert(fp) {
				continue
			}
			if sr.opts.MaxStates > 0 && sr.states.Load() >= sr.opts.MaxStates {
				sr.stop(fmt.Sprintf("max-states %d", sr.opts.MaxStates))
				return
			}
			idx := sr.addRecord(it.idx, k)
			sr.states.Add(1)
			if sr.checkState(e.State, at, [2]int64{}) {
				return
			}
			fresh = append(fresh, dfsItem[S]{s: e.State, idx: idx, depth: it.depth + 1})
			if int(it.depth+1) > sr.maxDepth {
				sr.maxDepth = int(it.depth + 1)
				sr.depth.Store(int64(sr.maxDepth))
			}
		}
		if quiet && checkQuiet && sr.checkQuiescent(it.s, ref{idx: it.idx, ord: -1, fp: pfp}, [2]int64{}) {
			return
		}
		// Push in reverse so the first successor is expanded first.
		for i := len(fresh) - 1; i >= 0; i-- {
			stack = append(stack, fresh[i])
		}
	}
}
