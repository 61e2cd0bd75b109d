package policy

import (
	"fmt"
	"strings"
	"time"
)

// SingleEdition returns the policy that the product is sold in one edition
// with every feature, and nothing on top:
//   - a catalog with more or fewer than one edition, an edition without every
//     feature of the catalog, or an add-on with a price violates it;
//   - a quote with lines for more than one edition (tiers), or a line that is
//     an add-on with a price, violates it.
//
// edition, when not empty, names the one edition: a catalog or quote line
// naming another violates the policy. A quote line with no edition is for
// the one edition.
func SingleEdition(edition string) Policy { return singleEdition{edition: edition} }

type singleEdition struct{ edition string }

func (singleEdition) ID() string { return IDSingleEdition }
func (singleEdition) Description() string {
	return "One edition with every feature: no tiers, no editions, no paid add-ons."
}
func (p singleEdition) Params() any {
	if p.edition == "" {
		return nil
	}
	return struct {
		Edition string `json:"edition"`
	}{p.edition}
}

func (p singleEdition) Check(s Subject, _ time.Time) []Violation {
	var out []Violation
	one := p.edition
	if c := s.Catalog; c != nil {
		switch n := len(c.Editions); {
		case n == 0:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions", "the catalog offers no edition; offer one with every feature"))
		case n > 1:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions", "the catalog offers %d editions (%s); offer one with every feature", n, editionNames(c.Editions)))
		case one != "" && c.Editions[0].Name != one:
			out = append(out, s.Violation(IDSingleEdition, "catalog.editions[0].name", "the catalog's edition is %q, not %q", c.Editions[0].Name, one))
		}
		if one == "" && len(c.Editions) == 1 {
			one = c.Editions[0].Name
		}
		for i, e := range c.Editions {
			if missing := without(c.Features, e.Features); len(missing) > 0 {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("catalog.editions[%d].features", i), "edition %q leaves out %s; every feature belongs to the one edition", e.Name, quoted(missing)))
			}
		}
		for i, a := range c.AddOns {
			if a.Price.IsSet() && !a.Price.Amount.IsZero() {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("catalog.add_ons[%d].price", i), "add-on %q is sold for %s; every feature belongs to the one edition", a.Name, a.Price))
			}
		}
	}
	if d := s.Deal; d != nil {
		for i, l := range d.Quote.Lines {
			if l.Edition != "" {
				if one == "" {
					one = l.Edition
				} else if l.Edition != one {
					out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("deal.quote.lines[%d].edition", i), "the quote offers edition %q besides %q; quote the one edition", l.Edition, one))
				}
			}
			if l.AddOn && l.Price.IsSet() && !l.Price.Amount.IsZero() {
				out = append(out, s.Violation(IDSingleEdition, fmt.Sprintf("deal.quote.lines[%d].add_on", i), "the quote sells %q as a paid add-on for %s; every feature belongs to the one edition", l.Product, l.Price))
			}
		}
	}
	return out
}

func editionNames(es []Edition) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	return quoted(names)
}

// without returns the entries of all that are not in some, in order.
func without(all, some []string) []string {
	var out []string
	for _, f := range all {
		found := false
		for _, g := range some {
			if f == g {
				found = true
				break
			}
		}
		if !found {
			out = append(out, f)
		}
	}
	return out
}

func quoted(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
