package dealtest

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestInvariantsDocumented: the package doc, the one place the invariants
// are explained, lists exactly the invariants Run runs, in the same order,
// each with an explanation.
func TestInvariantsDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range regexp.MustCompile(`(?m)^//   - ([a-z_]+):(.*)$`).FindAllSubmatch(doc, -1) {
		documented = append(documented, string(m[1]))
		if len(bytes.TrimSpace(m[2])) == 0 {
			t.Errorf("the package doc does not explain the invariant %s on the line that names it", m[1])
		}
	}
	var run []string
	for _, inv := range invariants {
		run = append(run, inv.name)
	}
	if !slices.Equal(documented, run) {
		t.Errorf("documented invariants %v, Run runs %v", documented, run)
	}
}
