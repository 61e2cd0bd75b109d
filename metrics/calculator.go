package metrics

import (
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
)

// This file holds the steps that every calculator takes the same way:
// checking that it was built, reading a deal into its base, checking the
// other side of a merge, and writing and reading its partial. Each
// calculator keeps its own figures; these are the checks around them.

// dealCalc is a calculator over deal histories, built on a base: a pointer
// that may be nil, and that is built when its constructor made it.
type dealCalc interface {
	comparable
	core() *base
}

// core returns the base a calculator is built on.
func (b *base) core() *base { return b }

// builtCalc reports a calculator c that is nil or was not built by its
// constructor ctor; name names it in the error.
func builtCalc[P dealCalc](c P, name, ctor string) error {
	var none P
	if c != none && c.core().proc != nil {
		return nil
	}
	return ready(nil, name, ctor)
}

// readDeal checks that c is built, then reads d into its base as
// [base.read] does, or as [base.readValued] does when valued is set. c's
// built must be [builtCalc]: c is built exactly when its base has a
// process, and built is asked only for the error.
func readDeal[P interface {
	dealCalc
	built() error
}](c P, d *deal.Deal, valued bool) (*deal.Reading, error) {
	var none P
	if c == none || c.core().proc == nil {
		return nil, c.built()
	}
	if valued {
		return c.core().readValued(d)
	}
	return c.core().read(d)
}

// bothBuilt checks, before c merges o, that c is built and that o is too;
// what names the calculator in the error about o.
func bothBuilt[P interface{ built() error }](c, o P, what string) error {
	if err := c.built(); err != nil {
		return err
	}
	if o.built() != nil {
		return invalidf("other", "is not a built %s", what)
	}
	return nil
}

// mergeable checks, before c merges o, that both are built (see
// [bothBuilt]) and that o is built for the same process. o.core() is safe
// to read once bothBuilt has passed: every deal calculator's built is
// builtCalc, which reports a nil calculator, or one without a process, as
// not built.
func mergeable[P interface {
	dealCalc
	built() error
}](c, o P, what string) error {
	if err := bothBuilt(c, o, what); err != nil {
		return err
	}
	if !c.core().same(o.core()) {
		return invalidf("other", "was built for a different process")
	}
	return nil
}

// partial is a calculator that writes and reads its state as a partial
// (see the package documentation, "Partials").
type partial interface {
	built() error
	settings() []wire.Setting
	state(c *wire.Codec)
}

// appendPartial appends c's partial, of kind, to b.
func appendPartial(c partial, b []byte, kind string) ([]byte, error) {
	if err := c.built(); err != nil {
		return b, err
	}
	return wire.Append(b, kind, c.settings(), c.state)
}

// readPartial reads data, a partial of kind computed under c's settings,
// into the empty calculator that fresh builds like c, and then makes it
// c's value; what names c in errors. On error c is left unchanged.
func readPartial[T any, P interface {
	*T
	partial
}](c P, data []byte, kind, what string, fresh func() (P, error)) error {
	if err := c.built(); err != nil {
		return err
	}
	n, err := fresh()
	if err != nil {
		return err
	}
	if err := wire.Read(data, kind, what, c.settings(), n.state); err != nil {
		return err
	}
	*c = *n
	return nil
}
