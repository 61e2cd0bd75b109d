package deal_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/golden"
	"github.com/google/go-cmp/cmp"
)

// TestDiagramsGolden checks the diagrams of Default and Unified against
// testdata; run go test -update to rewrite them after an intended change.
func TestDiagramsGolden(t *testing.T) {
	for name, build := range map[string]func() *deal.Process{"default": deal.Default, "unified": deal.Unified} {
		t.Run(name, func(t *testing.T) {
			p := build()
			golden.Check(t, name+".mmd", []byte(p.Mermaid()))
			golden.Check(t, name+".dot", []byte(p.DOT()))
			if q := build(); p.Mermaid() != q.Mermaid() || p.DOT() != q.DOT() {
				t.Fatal("diagrams of two equal processes differ")
			}
		})
	}
}

// TestDiagramsEscape: names and IDs that are syntax in either language are
// escaped, and every stage ID, even a keyword of either, is a safe node.
func TestDiagramsEscape(t *testing.T) {
	p, err := deal.NewProcess(deal.Config{ClosedWon: "subgraph", Stages: []deal.Stage{
		{ID: "end", Name: `Say "hi" <b>&</b> #1 ` + "`code`\n" + `back\slash\`, Core: true,
			Entry: []deal.Criterion{{ID: `q"uote`, Description: "d", Rule: deal.Present("segment")}}},
		{ID: "subgraph", Name: "Won"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	wantMermaid := `flowchart LR
    s0["Say #quot;hi#quot; #lt;b#gt;#amp;#lt;/b#gt; #35;1 #96;code#96; back\slash\ (end)<br/>entry: q#quot;uote"]
    s1["Won (subgraph)"]
    live(("live"))
    lost(("lost"))
    s0 -->|won| s1
    s1 -->|live| live
    s1 -.->|revert| s0
    s0 -->|lose| lost
    s1 -->|lose| lost
    lost -.->|reopen| s0
    classDef core stroke-width:3px
    class s0 core
    guarantees>"guarantees: none (Closed Won does not check a Scope of Work)"]
`
	wantDOT := `digraph process {
	rankdir=LR;
	node [shape=box, style=rounded];
	s0 [label="Say \"hi\" <b>&amp;</b> #1 ` + "`code`" + ` back\\slash\\ (end)\nentry: q\"uote\l", penwidth=3];
	s1 [label="Won (subgraph)\n"];
	live [shape=doublecircle];
	lost [shape=doublecircle];
	s0 -> s1 [label="won"];
	s1 -> live [label="live"];
	s1 -> s0 [label="revert", style=dashed];
	s0 -> lost [label="lose", color=gray];
	s1 -> lost [label="lose", color=gray];
	lost -> s0 [label="reopen", style=dotted];
	label="guarantees: none (Closed Won does not check a Scope of Work)";
	labelloc=b;
}
`
	if diff := cmp.Diff(wantMermaid, p.Mermaid()); diff != "" {
		t.Errorf("Mermaid (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDOT, p.DOT()); diff != "" {
		t.Errorf("DOT (-want +got):\n%s", diff)
	}
	var zero deal.Process
	if zero.Mermaid() != "" || zero.DOT() != "" {
		t.Error("a zero process should draw nothing")
	}
}

// TestDiagramsEscapeDirectives: a '%' cannot open a Mermaid comment or an
// init directive, a ';' survives Mermaid's preprocessing, and a backslash,
// even a trailing one, reaches Graphviz as a backslash.
func TestDiagramsEscapeDirectives(t *testing.T) {
	p, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{
		{ID: "promo", Name: "Promo %%{init: {'theme':'forest'}}%% week",
			Exit: []deal.Criterion{{ID: "class:#x;", Description: "d", Rule: deal.Present("segment")}}},
		{ID: "cls", Name: `classDef x fill:#f00; end \`},
	}})
	if err != nil {
		t.Fatal(err)
	}
	wantMermaid := []string{
		`    s0["Promo #37;#37;{init: {'theme':'forest'}}#37;#37; week (promo)<br/>exit: class:#35;x#59;"]`,
		`    s1["classDef x fill:#35;f00#59; end \ (cls)"]`,
	}
	wantDOT := []string{
		`	s0 [label="Promo %%{init: {'theme':'forest'}}%% week (promo)\nexit: class:#x;\l"];`,
		`	s1 [label="classDef x fill:#f00; end \\ (cls)\n"];`,
	}
	mermaid, dot := strings.Split(p.Mermaid(), "\n"), strings.Split(p.DOT(), "\n")
	if diff := cmp.Diff(wantMermaid, mermaid[1:3]); diff != "" {
		t.Errorf("Mermaid nodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDOT, dot[3:5]); diff != "" {
		t.Errorf("DOT nodes (-want +got):\n%s", diff)
	}
	if rest := entity.ReplaceAllString(p.Mermaid(), ""); strings.ContainsAny(rest, "%;") {
		t.Errorf("Mermaid output holds a '%%' or ';' outside an entity code:\n%s", p.Mermaid())
	}
}

// entity matches a Mermaid entity code such as #37;.
var entity = regexp.MustCompile(`#[0-9a-z]+;`)

func ExampleProcess_Mermaid() {
	p, err := deal.NewProcess(deal.Config{ClosedWon: "close", Stages: []deal.Stage{
		{ID: "qualify", Name: "Qualify", Core: true, Exit: []deal.Criterion{
			{ID: "why_now", Description: "Record why the buyer must act now.", Rule: deal.Present("qualification.why_now")},
		}},
		{ID: "close", Name: "Close", Entry: []deal.Criterion{
			{ID: "signed", Description: "Attach the signed agreement.", Rule: deal.HasArtifact(deal.ArtifactSignedAgreement)},
		}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(p.Mermaid())
	// Output:
	// flowchart LR
	//     s0["Qualify (qualify)<br/>exit: why_now"]
	//     s1["Close (close)<br/>entry: signed"]
	//     live(("live"))
	//     lost(("lost"))
	//     s0 -->|won| s1
	//     s1 -->|live| live
	//     s1 -.->|revert| s0
	//     s0 -->|lose| lost
	//     s1 -->|lose| lost
	//     lost -.->|reopen| s0
	//     classDef core stroke-width:3px
	//     class s0 core
	//     guarantees>"guarantees: none (Closed Won does not check a Scope of Work)"]
}
