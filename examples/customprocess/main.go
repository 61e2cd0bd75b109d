// Command customprocess shows a host running two teams' processes as data.
//
// The company sells with one process, [deal.Unified]. Its self-serve SMB
// team and its enterprise team sell differently, so each has a variant,
// written by RevOps as JSON (smb.json and enterprise.json) and changed
// without a deploy:
//
//   - SMB drops the stages a self-serve motion skips (targeting, solution
//     alignment, business case), relaxes some discovery and checkout
//     criteria, and shortens the healthy time in every stage it keeps.
//     Its automation is faster too: a lead untouched for 2 minutes alerts
//     the rep and for 10 the manager, a deal idle 5 days alerts the
//     manager, and checkout follows up after a day.
//   - Enterprise inserts a security review between business case and
//     proposal, gated by a criterion the host writes in Go and registers by
//     name ("security_cleared"), asks for an economic buyer engaged within
//     the last 21 days in qualification (evidence: the date of their last
//     engagement, not a ticked box), allows longer stages, and alerts the
//     manager after 21 idle days.
//
// Both keep the company's stage IDs, so conversion and time-in-stage metrics
// compare across the teams. At start-up the host loads and validates both
// variants, and runs the static checks of [dealtest.Check] on them,
// printing every problem (with its JSON path, for a definition) and exiting
// 1 if there is any; then it prints their Mermaid diagrams.
//
//	go run ./examples/customprocess
package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"pgregory.net/rapid"
)

var (
	//go:embed smb.json
	smbJSON []byte
	//go:embed enterprise.json
	enterpriseJSON []byte
)

// hostRules are the criteria the host writes in Go; the variants refer to
// them by name.
func hostRules() map[string]deal.Rule {
	return map[string]deal.Rule{
		// The security team records its verdict in a host field; only
		// "cleared" lets the deal go on.
		"security_cleared": deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
			return d.Fields["security_review"] == "cleared"
		}),
	}
}

// securityVerdict draws the host field the "security_cleared" criterion
// reads, which the generators cannot know the values of: cleared, not
// cleared, or not recorded.
func securityVerdict(t *rapid.T, d *deal.Deal) {
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	switch v := rapid.SampledFrom([]string{"cleared", "pending", "rejected", ""}).Draw(t, "security_review"); v {
	case "":
		delete(d.Fields, "security_review")
	default:
		d.Fields["security_review"] = v
	}
}

// processes loads both variants of the unified process and validates them.
// The error lists every problem of both files, each prefixed by its file.
func processes() (smb, enterprise *deal.Process, err error) {
	base := deal.Unified()
	rules := hostRules()
	smb, err1 := deal.LoadVariant(base, smbJSON, deal.LoadOptions{Rules: rules})
	enterprise, err2 := deal.LoadVariant(base, enterpriseJSON, deal.LoadOptions{Rules: rules})
	if err := errors.Join(inFile("smb.json", err1), inFile("enterprise.json", err2)); err != nil {
		return nil, nil, err
	}
	// The static checks of the test harness: every stage reachable, by a
	// deal the harness can generate, every criterion well formed, and none
	// that panics on or changes a deal. The harness cannot know the values
	// of the host's security_review field, so the host tells it how to
	// draw them; without that, it would report the stages after the
	// security review dead.
	verdict := dealtest.Populate(securityVerdict)
	if err := errors.Join(inFile("smb.json", dealtest.Check(smb, verdict)), inFile("enterprise.json", dealtest.Check(enterprise, verdict))); err != nil {
		return nil, nil, err
	}
	return smb, enterprise, nil
}

// inFile prefixes every problem joined in err with the name of its file.
func inFile(name string, err error) error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return fmt.Errorf("%s: %w", name, err)
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, inFile(name, e))
	}
	return errors.Join(out...)
}

func run(w io.Writer) error {
	smb, enterprise, err := processes()
	if err != nil {
		return err
	}
	for _, p := range []*deal.Process{smb, enterprise} {
		cfg := p.Config()
		fmt.Fprintf(w, "%%%% %s (%s): %d open stages\n", cfg.Name, cfg.ID, len(cfg.Stages))
		fmt.Fprintf(w, "%%%% automation: idle alert after %d days; lead response alert at %d and escalation at %d minutes;", cfg.IdleAlertDays, cfg.LeadResponse.AlertMinutes, cfg.LeadResponse.EscalateMinutes)
		for _, s := range cfg.Stages {
			if s.FollowUpDays > 0 {
				fmt.Fprintf(w, " follow-up %d days into %s;", s.FollowUpDays, s.ID)
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, p.Mermaid())
	}
	return nil
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "customprocess: the process definitions are invalid:")
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
