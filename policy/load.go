package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/jsonobj"
	"github.com/shopspring/decimal"
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
// host policy's builder or Validate method reports, under the policy's
// path. A built-in policy's missing or null parameter takes its default:
// those of [Default].
func Load(data []byte, opts LoadOptions) (*Set, error) {
	l := setLoader{opts: opts}
	top, ok := l.object("set", data)
	if !ok {
		return nil, errors.Join(l.errs...)
	}
	for _, k := range sortedKeys(top) {
		if k != "policies" {
			l.fail(key("set", k), "is not a key of a policy set; it has: policies")
		}
	}
	var entries []json.RawMessage
	raw, ok := top["policies"]
	switch {
	case !ok:
		l.fail("policies", "is required")
	case json.Unmarshal(raw, &entries) != nil || entries == nil:
		l.fail("policies", "must be a JSON array of policies")
	}
	var built []placed
	for i, e := range entries {
		path := fmt.Sprintf("policies[%d]", i)
		if p, ok := l.policy(path, e); ok {
			built = append(built, placed{path, p})
		}
	}
	set, err := build(built)
	l.errs = append(l.errs, err)
	if err := errors.Join(l.errs...); err != nil {
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
		if v, ok := p.(interface{ Validate() error }); ok {
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

type setLoader struct {
	opts LoadOptions
	errs []error
}

func (l *setLoader) fail(path, format string, args ...any) {
	l.errs = append(l.errs, accord.Invalid(path, format, args...))
}

// key returns the path of key k of the object at path, "set" being the
// whole definition (see [jsonobj.Path]).
func key(path, k string) string {
	if path == "set" {
		path = ""
	}
	return jsonobj.Path(path, k)
}

// object decodes raw as a JSON object, or reports that it is not one. A key
// given twice is reported too: encoding/json would keep the last value
// silently, and a definition must say one thing.
func (l *setLoader) object(path string, raw []byte) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		l.fail(path, "must be a JSON object")
		return nil, false
	}
	for _, k := range jsonobj.Repeated(raw) {
		l.fail(key(path, k), "is given more than once; give each key once")
	}
	return m, true
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

// sortedKeys returns the keys of m in order, so that problems are reported
// in the same order every time.
func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
	m, ok := l.object(path, raw)
	if !ok {
		return nil, false
	}
	for _, k := range sortedKeys(m) {
		if k != "id" && k != "params" {
			l.fail(key(path, k), "is not a key of a policy; it has: id, params")
		}
	}
	var id string
	if rawID, ok := m["id"]; !ok {
		l.fail(path+".id", "is required")
		return nil, false
	} else if t := bytes.TrimSpace(rawID); len(t) == 0 || t[0] != '"' || json.Unmarshal(t, &id) != nil {
		l.fail(path+".id", "must be a string")
		return nil, false
	}
	params := m["params"]
	if bytes.Equal(bytes.TrimSpace(params), []byte("null")) {
		params = nil
	}
	if build, ok := l.opts.Policies[id]; ok {
		if params == nil {
			params = json.RawMessage("null")
		}
		if _, isBuiltin := builtins[id]; isBuiltin {
			l.fail(path+".id", "%q is a built-in policy; a host policy must take another ID", id)
			return nil, false
		}
		if rep := jsonobj.Repeated(params); len(rep) > 0 {
			for _, k := range rep {
				l.fail(key(path+".params", k), "is given more than once; give each key once")
			}
			return nil, false
		}
		p, err := build(params)
		if err != nil {
			l.errs = append(l.errs, under(path+".params", err))
			return nil, false
		}
		if isNil(p) {
			l.fail(path, "the host's builder for %q returned no policy", id)
			return nil, false
		}
		if p.ID() != id {
			l.fail(path+".id", "the host's builder for %q built policy %q", id, p.ID())
			return nil, false
		}
		return p, true
	}
	names, ok := builtins[id]
	if !ok {
		l.fail(path+".id", "unknown policy %q; the built-in ones are %s, and host policies come from LoadOptions.Policies", id, strings.Join(builtinIDs(), ", "))
		return nil, false
	}
	var ps map[string]json.RawMessage
	if params != nil {
		if ps, ok = l.object(path+".params", params); !ok {
			return nil, false
		}
	}
	for _, k := range sortedKeys(ps) {
		if !slices.Contains(names, k) {
			if len(names) == 0 {
				l.fail(key(path+".params", k), "is not a parameter of %s, which has none", id)
			} else {
				l.fail(key(path+".params", k), "is not a parameter of %s; it has: %s", id, strings.Join(names, ", "))
			}
		}
	}
	d := paramDecoder{l: l, path: path + ".params", ps: ps, ok: true}
	p := d.builtin(id)
	if !d.ok {
		// Report the range problems of the parameters that could be read
		// too, so that every problem comes out at once.
		if v, ok := p.(interface{ Validate() error }); ok {
			for _, e := range accord.FieldErrors(under(d.path, v.Validate())) {
				if !d.failed[e.Field] {
					l.errs = append(l.errs, e)
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
		if b.FiscalYearStart == 0 && !d.failed[d.path+".fiscal_year_start"] {
			// 0 is January in Go; as data a month is written 1 to 12.
			l.fail(d.path+".fiscal_year_start", "must be a month, 1 to 12; got 0")
			d.fail("fiscal_year_start")
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

func builtinIDs() []string {
	ids := make([]string, 0, len(builtins))
	for id := range builtins {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// paramDecoder reads the parameters of a built-in policy, reporting each
// value of the wrong type.
type paramDecoder struct {
	l      *setLoader
	path   string
	ps     map[string]json.RawMessage
	ok     bool
	failed map[string]bool // paths of the parameters that could not be read
}

// fail marks parameter k as unreadable.
func (d *paramDecoder) fail(k string) {
	d.ok = false
	if d.failed == nil {
		d.failed = map[string]bool{}
	}
	d.failed[d.path+"."+k] = true
}

// wholeNumber reads a JSON number (not a string) that is a whole number,
// however it is written (5, 5.0, 5e0), within ±1e9. It reads the number
// exactly, so 5.0000000000000001 is not whole.
func wholeNumber(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '"' {
		return 0, false
	}
	var num json.Number
	if err := json.Unmarshal(raw, &num); err != nil {
		return 0, false
	}
	d, err := decimal.NewFromString(num.String())
	// Bound the exponent first: deciding whether 1e-999999999 is whole, or
	// comparing 1e999999999, would build a number of a billion digits.
	if err != nil || d.Exponent() < -40 || d.Exponent() > 40 || !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(1e9)) {
		return 0, false
	}
	return int(d.IntPart()), true
}

// raw returns parameter k, or false when it is missing or null: such a
// parameter takes its default.
func (d *paramDecoder) raw(k string) (json.RawMessage, bool) {
	raw, ok := d.ps[k]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, false
	}
	return raw, true
}

func (d *paramDecoder) str(k, def string) string {
	raw, ok := d.raw(k)
	if !ok {
		return def
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		d.l.fail(d.path+"."+k, "must be a string")
		d.fail(k)
	}
	return s
}

func (d *paramDecoder) integer(k string, def int) int {
	raw, ok := d.raw(k)
	if !ok {
		return def
	}
	n, ok := wholeNumber(raw)
	if !ok {
		d.l.fail(d.path+"."+k, "must be a whole number, at most a billion in size")
		d.fail(k)
	}
	return n
}

func (d *paramDecoder) zone(k string) *time.Location {
	name := "UTC"
	if raw, ok := d.raw(k); ok && json.Unmarshal(raw, &name) != nil {
		d.l.fail(d.path+"."+k, "must be a string")
		d.fail(k)
		return nil
	}
	switch {
	case name == "":
		d.l.fail(d.path+"."+k, "must name a time zone, such as \"UTC\"")
	case name == "UTC":
		return time.UTC
	case d.l.opts.Zone == nil:
		d.l.fail(d.path+"."+k, "time zone %q needs LoadOptions.Zone to resolve it", name)
	default:
		loc, err := d.l.opts.Zone(name)
		if err == nil && loc != nil {
			return loc
		}
		msg := "resolves to no location"
		if err != nil {
			msg = err.Error()
		}
		d.l.fail(d.path+"."+k, "time zone %q cannot be resolved: %s", name, msg)
	}
	d.fail(k)
	return nil
}
