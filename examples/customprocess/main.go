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
//   - Enterprise inserts a security review between business case and
//     proposal, gated by a criterion the host writes in Go and registers by
//     name ("security_cleared"), asks for an engaged economic buyer in
//     qualification, and allows longer stages.
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
	// The static checks of the test harness: every stage reachable, every
	// criterion well formed, and none that panics on or changes a deal.
	if err := errors.Join(inFile("smb.json", dealtest.Check(smb)), inFile("enterprise.json", dealtest.Check(enterprise))); err != nil {
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
