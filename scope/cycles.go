package scope

import (
	"fmt"
	"slices"
	"strings"
)

// findCycles marks the steps on dependency cycles and reports each cycle
// once, at its first step, with the path around it. It finds the strongly
// connected components with Tarjan's algorithm, iteratively so that no input
// exhausts the stack.
func (l *layout) findCycles(s *SOW) {
	n := len(l.deps)
	l.cyclic = make([]bool, n)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next := 0
	type frame struct{ v, edge int }
	var comps [][]int
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{v: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.edge < len(l.deps[f.v]) {
				w := l.deps[f.v][f.edge]
				f.edge++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{v: w})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			if stack[len(stack)-1] == v {
				// A step on no cycle: the common case, without allocating.
				stack = stack[:len(stack)-1]
				onStack[v] = false
				continue
			}
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				comps = append(comps, comp)
			}
		}
	}
	// Report in step order, each cycle at its lowest-indexed step.
	firsts := make([]int, len(comps))
	if len(comps) > 0 {
		l.knot = make([]int, n)
	}
	for c, comp := range comps {
		firsts[c] = slices.Min(comp)
		for _, v := range comp {
			l.cyclic[v] = true
			l.knot[v] = c + 1
		}
	}
	order := make([]int, len(comps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return firsts[a] - firsts[b] })
	for _, c := range order {
		first := firsts[c]
		l.bad(fmt.Sprintf("steps[%d].depends_on", first), "forms a dependency cycle: %s", l.cyclePath(s, first))
	}
}

// cyclePath walks from step first along dependencies that stay on its cycle
// until it returns, and names the steps on the way.
func (l *layout) cyclePath(s *SOW, first int) string {
	// Breadth-first search back to first over cyclic steps gives the
	// shortest cycle through it, deterministically.
	prev := map[int]int{}
	queue := []int{first}
	found := false
	for len(queue) > 0 && !found {
		v := queue[0]
		queue = queue[1:]
		for _, w := range l.deps[v] {
			// Only steps of first's own knot: following other cycles
			// made chained cycles cost quadratic time.
			if l.knot[w] != l.knot[first] {
				continue
			}
			if w == first {
				prev[first] = v
				found = true
				break
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	path := []string{s.Steps[first].ID}
	for v := prev[first]; v != first && len(path) <= len(s.Steps); v = prev[v] {
		path = append(path, s.Steps[v].ID)
	}
	// The walk went backwards along "depends on"; reverse it so that each
	// step is followed by the step it depends on.
	slices.Reverse(path[1:])
	path = append(path, s.Steps[first].ID)
	return strings.Join(quoteAll(path), " depends on ")
}
