package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
)

// TestProcesses checks both variants the way a host should before shipping
// them: the static checks, then every invariant of the library.
func TestProcesses(t *testing.T) {
	smb, enterprise, err := processes()
	if err != nil {
		t.Fatalf("processes: %v", err)
	}
	for _, tt := range []struct {
		name string
		p    *deal.Process
	}{{"smb", smb}, {"enterprise", enterprise}} {
		t.Run(tt.name, func(t *testing.T) {
			if err := dealtest.Check(tt.p, dealtest.Populate(securityVerdict)); err != nil {
				t.Fatalf("Check: %v", err)
			}
			dealtest.Run(t, tt.p, dealtest.Populate(securityVerdict))
		})
	}
}

// TestRun: the example prints the Mermaid diagram of both variants.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v", err)
	}
	smb, enterprise, err := processes()
	if err != nil {
		t.Fatalf("processes: %v", err)
	}
	// The SMB team's automation is set in its JSON, not in code.
	if want := "%% automation: idle alert after 5 days; lead response alert at 2 and escalation at 10 minutes; follow-up 1 days into proposal;"; !strings.Contains(out.String(), want) {
		t.Errorf("the output lacks %q:\n%s", want, out.String())
	}
	for name, p := range map[string]*deal.Process{"smb": smb, "enterprise": enterprise} {
		if !strings.Contains(out.String(), p.Mermaid()) {
			t.Errorf("the output lacks the %s diagram:\n%s", name, out.String())
		}
	}
}
