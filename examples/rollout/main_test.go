package main

import (
	"bytes"
	"testing"

	"github.com/accordhq/accord/internal/golden"
)

// TestRollout runs the example and compares its output with the golden
// file. Run with -update to accept a deliberate change.
func TestRollout(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "rollout.golden", out.Bytes())
}
