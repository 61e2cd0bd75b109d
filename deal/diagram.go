package deal

import (
	"fmt"
	"strings"
)

// Mermaid returns p as a Mermaid flowchart, for documentation and review.
// Each open stage is a box showing its name, its ID and its criteria, one
// line each ("entry: id" or "exit: id"), with core stages drawn bold; live
// and lost are circles. The moves are drawn as edges:
//
//   - advance: a solid edge from each open stage to the next, labelled
//     "advance", "won" into the Closed Won stage and "live" into live;
//   - revert: a dashed edge into each stage but the last, from the stage
//     after it; it stands for a revert from any later open stage;
//   - lose: a solid edge from each open stage to lost;
//   - reopen: a dashed edge from lost to each open stage before the Closed
//     Won stage (a deal reopens no later than the stage it was lost at, and
//     is won again only through the close).
//
// The last line, a flag-shaped note, names the guarantees the process keeps
// ([Process.Guarantees]), or says it keeps none: a variant of the unified
// process that dropped a scope gate shows it.
//
// Nodes are named s0, s1, ... in stage order, so that no stage ID can clash
// with Mermaid's keywords, and text is escaped with Mermaid's entity codes.
// The output is deterministic: the same process gives the same text.
func (p *Process) Mermaid() string {
	if !p.built() {
		return ""
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	node := p.node
	var core []string
	for i, s := range p.stages {
		fmt.Fprintf(&b, "    %s[\"%s\"]\n", node(i), strings.Join(mermaidLines(s), "<br/>"))
		if s.Core {
			core = append(core, node(i))
		}
	}
	b.WriteString("    live((\"live\"))\n    lost((\"lost\"))\n")
	p.edges(func(kind EventKind, from, to int) {
		arrow := "-->"
		switch kind {
		case EventRevert, EventReopen:
			arrow = "-.->"
		case EventLost:
			kind = "lose"
		}
		fmt.Fprintf(&b, "    %s %s|%s| %s\n", node(from), arrow, kind, node(to))
	})
	if len(core) > 0 {
		b.WriteString("    classDef core stroke-width:3px\n")
		fmt.Fprintf(&b, "    class %s core\n", strings.Join(core, ","))
	}
	fmt.Fprintf(&b, "    guarantees>\"%s\"]\n", mermaidEscape(p.guaranteeLine()))
	return b.String()
}

// guaranteeLine says which close guarantees p keeps, for the diagrams: a
// process derived from the unified one that dropped a scope gate says so.
func (p *Process) guaranteeLine() string {
	g := p.Guarantees()
	if len(g) == 0 {
		return "guarantees: none (Closed Won does not check a Scope of Work)"
	}
	names := make([]string, len(g))
	for i, x := range g {
		names[i] = string(x)
	}
	return "guarantees: " + strings.Join(names, ", ") + " (Closed Won only through Close, presenting the Scope of Work)"
}

// DOT returns p as a Graphviz digraph, with the same stages, criteria and
// moves as [Process.Mermaid]: reverts dashed, reopens dotted, losses grey,
// core stages drawn bold, and the guarantees it keeps as the graph's label. Nodes are named as in [Process.Mermaid], and
// labels are escaped. The output is deterministic.
func (p *Process) DOT() string {
	if !p.built() {
		return ""
	}
	var b strings.Builder
	b.WriteString("digraph process {\n\trankdir=LR;\n\tnode [shape=box, style=rounded];\n")
	for i, s := range p.stages {
		lines := boxLines(s)
		var label strings.Builder
		label.WriteString(dotEscape(lines[0]))
		label.WriteString(`\n`)
		for _, line := range lines[1:] {
			label.WriteString(dotEscape(line))
			label.WriteString(`\l`)
		}
		attrs := ""
		if s.Core {
			attrs = ", penwidth=3"
		}
		fmt.Fprintf(&b, "\t%s [label=\"%s\"%s];\n", p.node(i), label.String(), attrs)
	}
	b.WriteString("\tlive [shape=doublecircle];\n\tlost [shape=doublecircle];\n")
	p.edges(func(kind EventKind, from, to int) {
		attrs := ""
		switch kind {
		case EventRevert:
			attrs = ", style=dashed"
		case EventReopen:
			attrs = ", style=dotted"
		case EventLost:
			kind, attrs = "lose", ", color=gray"
		}
		fmt.Fprintf(&b, "\t%s -> %s [label=\"%s\"%s];\n", p.node(from), p.node(to), kind, attrs)
	})
	fmt.Fprintf(&b, "\tlabel=\"%s\";\n\tlabelloc=b;\n", dotEscape(p.guaranteeLine()))
	b.WriteString("}\n")
	return b.String()
}

// node names the diagram node of the stage at position i: s0, s1, ... for
// the open stages, so that no stage ID can clash with a keyword of either
// language, then live and lost.
func (p *Process) node(i int) string {
	switch i {
	case len(p.stages):
		return "live"
	case len(p.stages) + 1:
		return "lost"
	}
	return fmt.Sprintf("s%d", i)
}

// edges calls edge for every edge of the diagrams, in order: advances,
// reverts, losses, reopens. Stages are given by position: the open stages,
// then live, then lost.
func (p *Process) edges(edge func(kind EventKind, from, to int)) {
	n := len(p.stages)
	for i := range n {
		edge(p.kindAt(i+1), i, i+1)
	}
	for i := 0; i+1 < n; i++ {
		edge(EventRevert, i+1, i)
	}
	for i := range n {
		edge(EventLost, i, n+1)
	}
	for i := range min(n, p.wonIndex) {
		edge(EventReopen, n+1, i)
	}
}

// boxLines returns the unescaped lines of a stage's box: its name
// and ID, then its criteria.
func boxLines(s Stage) []string {
	lines := []string{s.Name + " (" + string(s.ID) + ")"}
	for _, c := range s.Entry {
		lines = append(lines, "entry: "+c.ID)
	}
	for _, c := range s.Exit {
		lines = append(lines, "exit: "+c.ID)
	}
	return lines
}

func mermaidLines(s Stage) []string {
	lines := boxLines(s)
	for i, l := range lines {
		lines[i] = mermaidEscape(l)
	}
	return lines
}

// mermaidEscape writes text for a quoted Mermaid label: characters Mermaid
// or its HTML labels would read as syntax become entity codes, and line
// breaks become spaces. '%' is escaped so that no label can open a "%%"
// comment or a "%%{init: ...}%%" directive, and ';' because Mermaid's
// preprocessing drops it from labels such as "classDef x fill:#f00; end".
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '&':
			b.WriteString("#amp;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '`':
			b.WriteString("#96;")
		case '%':
			b.WriteString("#37;")
		case ';':
			b.WriteString("#59;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dotEscape writes text for a quoted DOT label: quotes and backslashes are
// escaped with a backslash (Graphviz reads a lone backslash as the start of
// an escape such as \n or \l, and turns an entity such as &#92; back into
// a backslash before it reads them), ampersands become &amp;, and line
// breaks become spaces.
func dotEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '&':
			b.WriteString("&amp;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
