package main

import (
	"bytes"
	"testing"

	"github.com/accordhq/accord/internal/golden"
)

// TestWalkthrough runs the walkthrough and compares its output with the
// golden file, so that a change in what the pipeline refuses shows up as a
// diff. Run with -update to accept a deliberate change.
func TestWalkthrough(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "walkthrough.golden", out.Bytes())
}
