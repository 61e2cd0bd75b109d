package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/strictjson"
)

// MarshalJSON writes set as data: its policies in the order of their IDs,
// each with its ID and, when it has any, its parameters:
//
//	{"policies": [
//	  {"id": "lead_response_sla", "params": {"minutes": 5}},
//	  {"id": "no_panic_discounts", "params": {"month_days": 5, "quarter_days": 10,
//	    "year_days": 15, "fiscal_year_start": 4, "time_zone": "Asia/Kolkata"}},
//	  {"id": "no_quotas"}]}
//
// [Load] reads it back into a set that checks exactly as set does. A time
// zone is written by its name (time.Location.String), which Load resolves
// with [LoadOptions.Zone]. A zone whose name cannot stand for it fails the
// call with the policy's path: one with no name, "Local" (another zone on
// every machine), and a fixed zone named "UTC" that is not UTC. A zone
// given a real zone's name, such as time.FixedZone("Asia/Kolkata", 0),
// cannot be told apart and is read back as the real one.
func (set *Set) MarshalJSON() ([]byte, error) {
	type entry struct {
		ID     string `json:"id"`
		Params any    `json:"params,omitempty"`
	}
	out := struct {
		Policies []entry `json:"policies"`
	}{Policies: []entry{}}
	var errs []error
	if set != nil {
		for i, p := range set.policies {
			if loc, ok := zoneOf(p); ok {
				if err := writable(loc); err != nil {
					errs = append(errs, accord.Invalid(fmt.Sprintf("policies[%d].params.time_zone", i), "%v", err))
				}
			}
			out.Policies = append(out.Policies, entry{ID: p.ID(), Params: p.Params()})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a set as [Load] does with the zero [LoadOptions]: time
// zones other than UTC and host policies need Load itself, and are refused
// here with their paths rather than dropped. null leaves set unchanged.
func (set *Set) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil // as encoding/json does for null
	}
	loaded, err := Load(data, LoadOptions{})
	if err != nil {
		return err
	}
	*set = *loaded
	return nil
}

// LoadOptions tell [Load] what the definition may refer to.
type LoadOptions struct {
	// Zone resolves a time zone name, such as "Asia/Kolkata"; pass
	// time.LoadLocation, or a lookup in the zones the host knows. When nil,
	// only "UTC" is accepted. The library itself never reads the zone
	// database.
	Zone func(name string) (*time.Location, error)
	// Policies builds the host's own policies by ID from their parameters,
	// which are the JSON null when the definition gives none. A policy built
	// for an ID must report that ID, and may not take a built-in one.
	Policies map[string]func(params json.RawMessage) (Policy, error)
}

// Load reads a set written as data (see [Set.MarshalJSON]) and validates it
// as a whole. Every problem is reported, joined, each a [*accord.FieldError]
// whose Field is its JSON path, such as "policies[1].params.month_days":
// input that is not a JSON object, a key the definition does not have,
// a key given twice, a value of the wrong type (a number written as a
// string is not a number), an unknown policy ID, a repeated one, a time
// zone that cannot be resolved, a parameter out of range, and whatever a
// host policy's builder or [Validator] reports, under the policy's
// path. A built-in policy's missing or null parameter takes its default:
// those of [Default].
//
// The JSON is read by the same rules as every definition the library
// loads (processes too, see [deal.Load]): each key is given once; a key
// whose value is null is absent, as if not given, while null in a list is
// an error; a whole number is a JSON number however it is written (5, 5.0,
// 5e0; not "5") and at most a billion in size; a string is a JSON string
// and a flag true or false.
func Load(data []byte, opts LoadOptions) (*Set, error) {
	l := setLoader{opts: opts, Decoder: strictjson.NewDecoder("set")}
	top, ok := l.Document(data, "a policy set", "policies")
	if !ok {
		return nil, l.Err()
	}
	raw, ok := top["policies"]
	if !ok {
		l.Fail("policies", "is required")
	}
	var built []placed
	for i, e := range l.Array("policies", raw) {
		path := fmt.Sprintf("policies[%d]", i)
		if p, ok := l.policy(path, e); ok {
			built = append(built, placed{path, p})
		}
	}
	set, err := build(built)
	l.Add(err)
	if err := l.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// placed is a policy and its path in the definition.
type placed struct {
	path string
	p    Policy
}

// build validates policies as [NewSet] describes, reporting each problem
// under the policy's path.
func build(policies []placed) (*Set, error) {
	var errs []error
	seen := map[string]bool{}
	set := &Set{policies: make([]Policy, 0, len(policies))}
	for _, e := range policies {
		p := e.p
		if isNil(p) {
			errs = append(errs, accord.Invalid(e.path, "is nil"))
			continue
		}
		id := p.ID()
		_, reserved := builtins[id]
		switch {
		case reserved && !isBuiltin(p):
			errs = append(errs, accord.Invalid(e.path+".id", "%q is the ID of a built-in policy; a host policy takes another", id))
		case !validID(id):
			errs = append(errs, accord.Invalid(e.path+".id", "must be lower-case letters, digits and underscores, starting with a letter; got %q", id))
		case seen[id]:
			errs = append(errs, accord.Invalid(e.path+".id", "duplicates policy %q", id))
		}
		seen[id] = true
		if v, ok := p.(Validator); ok {
			errs = append(errs, under(e.path+".params", v.Validate()))
		}
		set.policies = append(set.policies, p)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(set.policies, func(a, b Policy) int { return strings.Compare(a.ID(), b.ID()) })
	return set, nil
}

// setLoader decodes a policy set with the library's one strict decoder
// (see package internal/strictjson for its rules), collecting every
// problem.
type setLoader struct {
	*strictjson.Decoder
	opts LoadOptions
}

// isNil reports whether p is nil, or a nil pointer whose methods would
// dereference it.
func isNil(p Policy) bool {
	if p == nil {
		return true
	}
	v := reflect.ValueOf(p)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// builtins lists each built-in policy's parameters.
var builtins = map[string][]string{
	IDSingleEdition:              {"edition"},
	IDNoQuotas:                   nil,
	IDNoPanicDiscounts:           {"month_days", "quarter_days", "year_days", "fiscal_year_start", "time_zone"},
	IDPaymentAfterClientApproval: nil,
	IDRefundGuarantee:            {"time_zone"},
	IDClosedWonOnStructure:       nil,
	IDLeadResponseSLA:            {"minutes"},
}

// policy decodes one entry of the definition.
func (l *setLoader) policy(path string, raw json.RawMessage) (Policy, bool) {
	m, ok := l.Object(path, "a policy", raw, "id", "params")
	if !ok {
		return nil, false
	}
	rawID, ok := m["id"]
	if !ok {
		l.Fail(path+".id", "is required")
		return nil, false
	}
	before := len(l.Errs())
	id := l.String(path+".id", rawID, "")
	if len(l.Errs()) > before {
		return nil, false
	}
	params := m["params"] // nil when absent or null
	if build, ok := l.opts.Policies[id]; ok {
		if params == nil {
			params = json.RawMessage("null")
		}
		if _, isBuiltin := builtins[id]; isBuiltin {
			l.Fail(path+".id", "%q is a built-in policy; a host policy must take another ID", id)
			return nil, false
		}
		if rep := strictjson.Repeated(params); len(rep) > 0 {
			for _, k := range rep {
				l.Fail(strictjson.Path(path+".params", k), "is given more than once; give each key once")
			}
			return nil, false
		}
		p, err := build(params)
		if err != nil {
			l.Add(under(path+".params", err))
			return nil, false
		}
		if isNil(p) {
			l.Fail(path, "the host's builder for %q returned no policy", id)
			return nil, false
		}
		if p.ID() != id {
			l.Fail(path+".id", "the host's builder for %q built policy %q", id, p.ID())
			return nil, false
		}
		return p, true
	}
	names, ok := builtins[id]
	if !ok {
		l.Fail(path+".id", "unknown policy %q; the built-in ones are %s, and host policies come from LoadOptions.Policies", id, strings.Join(builtinIDs(), ", "))
		return nil, false
	}
	var ps map[string]json.RawMessage
	if params != nil {
		if ps, ok = l.Object(path+".params", "the params of "+id, params, names...); !ok {
			return nil, false
		}
	}
	d := paramDecoder{l: l, path: path + ".params", ps: ps, ok: true}
	p := d.builtin(id)
	if !d.ok {
		// Report the range problems of the parameters that could be read
		// too, so that every problem comes out at once.
		if v, ok := p.(Validator); ok {
			for _, e := range accord.FieldErrors(under(d.path, v.Validate())) {
				if !l.Failed(e.Field) {
					l.Add(e)
				}
			}
		}
		return nil, false
	}
	return p, true
}

// builtin builds the built-in policy id from the decoder's parameters.
func (d *paramDecoder) builtin(id string) Policy {
	l := d.l
	switch id {
	case IDSingleEdition:
		return SingleEdition(d.str("edition", ""))
	case IDNoQuotas:
		return NoQuotas()
	case IDNoPanicDiscounts:
		b := Blackout{
			MonthDays:       d.integer("month_days", DefaultBlackout().MonthDays),
			QuarterDays:     d.integer("quarter_days", DefaultBlackout().QuarterDays),
			YearDays:        d.integer("year_days", DefaultBlackout().YearDays),
			FiscalYearStart: time.Month(d.integer("fiscal_year_start", int(time.January))),
			Location:        d.zone("time_zone"),
		}
		if b.FiscalYearStart == 0 && !l.Failed(d.path+".fiscal_year_start") {
			// 0 is January in Go; as data a month is written 1 to 12.
			l.Fail(d.path+".fiscal_year_start", "must be a month, 1 to 12; got 0")
			d.ok = false
		}
		return NoPanicDiscounts(b)
	case IDPaymentAfterClientApproval:
		return PaymentAfterClientApproval()
	case IDRefundGuarantee:
		return RefundGuarantee(d.zone("time_zone"))
	case IDClosedWonOnStructure:
		return ClosedWonOnStructure()
	default: // IDLeadResponseSLA
		return LeadResponseSLA(d.integer("minutes", DefaultResponseMinutes))
	}
}

func builtinIDs() []string { return slices.Sorted(maps.Keys(builtins)) }

// paramDecoder reads the parameters of a built-in policy; ok turns false
// when one cannot be read. A missing or null parameter takes its default.
type paramDecoder struct {
	l    *setLoader
	path string
	ps   map[string]json.RawMessage // without the null ones
	ok   bool
}

// read notes whether the parameter at path could be read.
func (d *paramDecoder) read(path string) {
	if d.l.Failed(path) {
		d.ok = false
	}
}

func (d *paramDecoder) str(k, def string) string {
	p := d.path + "." + k
	s := d.l.String(p, d.ps[k], def)
	d.read(p)
	return s
}

func (d *paramDecoder) integer(k string, def int) int {
	p := d.path + "." + k
	n := d.l.Int(p, d.ps[k], def)
	d.read(p)
	return n
}

func (d *paramDecoder) zone(k string) *time.Location {
	p := d.path + "." + k
	name := d.l.String(p, d.ps[k], "UTC")
	if d.l.Failed(p) {
		d.ok = false
		return nil
	}
	switch {
	case name == "":
		d.l.Fail(p, "must name a time zone, such as \"UTC\"")
	case name == "UTC":
		return time.UTC
	case d.l.opts.Zone == nil:
		d.l.Fail(p, "time zone %q needs LoadOptions.Zone to resolve it", name)
	default:
		loc, err := d.l.opts.Zone(name)
		if err == nil && loc != nil {
			return loc
		}
		msg := "resolves to no location"
		if err != nil {
			msg = err.Error()
		}
		d.l.Fail(p, "time zone %q cannot be resolved: %s", name, msg)
	}
	d.ok = false
	return nil
}
