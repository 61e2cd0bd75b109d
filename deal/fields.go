package deal

import (
	"reflect"
	"slices"
	"time"
	"unsafe"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/fieldpath"
	"github.com/accordhq/accord/scope"
)

// The paths [Present] and [Reached] accept are derived from the Deal type
// once, when the package is initialised: every field by its JSON path,
// down through the structured parts (targeting, discovery.constraints,
// ...), but for those listed in notByPath. Adding a field to Deal adds its
// path; nothing else is edited in step. A field is present as its Go type
// says (see reader), and a date field can also be Reached.
//
// Each reader reads its field at the offset reflect gives for it, so a
// rule evaluates as fast as a hand-written field access, with no
// allocation and no reflection per call. The table is never written after
// it is built.

// notByPath lists what criteria do not name by path: the state the process
// keeps (stage, version, history, loss, close date changes), the parts
// other packages read whole (scope, quote, lead), and the host's fields,
// which are "fields.<name>".
var notByPath = map[string]bool{
	"stage": true, "stage_entered_at": true, "version": true, "history": true,
	"loss": true, "close_date_changes": true, "scope": true, "quote": true,
	"lead": true, "fields": true, "contract_id": true,
}

// fieldReader reads one field of a deal: whether it is present and, for a
// date, the date.
type fieldReader struct {
	present func(*Deal) bool
	date    func(*Deal) time.Time // nil unless the field is a date
	// text marks a string field, present when it is text; off is its
	// offset in a Deal, so that [Present] reads it without calling present.
	text bool
	off  uintptr
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	moneyType       = reflect.TypeFor[accord.Money]()
	nextStepType    = reflect.TypeFor[NextStep]()
	fitType         = reflect.TypeFor[Fit]()
	strengthType    = reflect.TypeFor[Strength]()
	stringsType     = reflect.TypeFor[[]string]()
	stakeholderType = reflect.TypeFor[[]Stakeholder]()
	requirementType = reflect.TypeFor[[]scope.Requirement]()
	activitiesType  = reflect.TypeFor[[]Activity]()
	artifactsType   = reflect.TypeFor[[]Artifact]()
)

// fieldReaders and datePaths are built once and never written.
var fieldReaders, datePaths = readers()

// readers derives the reader of every field a criterion may name, and the
// paths of the dates in the order Deal declares them.
func readers() (map[string]fieldReader, []string) {
	leaf := func(t reflect.Type) bool { return t == timeType || t == moneyType || t == nextStepType }
	out := map[string]fieldReader{}
	var dates []string
	for _, f := range fieldpath.Fields(reflect.TypeFor[Deal](), notByPath, leaf) {
		r := reader(f)
		if r.present == nil {
			continue // a type with no meaning of present: TestFieldPaths lists none
		}
		if r.date != nil {
			dates = append(dates, f.Path)
		}
		out[f.Path] = r
	}
	return out, slices.Clip(dates)
}

// at returns the address of the field at offset off of d.
func at(d *Deal, off uintptr) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(d), off) }

// reader says what present means for the field f, by its type: a
// non-blank string, a list with a non-blank entry, a set amount (a
// positive one for business_case.impact, a quantified case), a non-zero
// date or number, a true flag, a known fit or strength, a stakeholder with
// a name, a requirement with a title, a next step with a time and a
// purpose, a non-empty list of activities or artifacts.
func reader(f fieldpath.Field) fieldReader {
	off := f.Offset
	switch t := f.Type; {
	case t == timeType:
		get := func(d *Deal) time.Time { return *(*time.Time)(at(d, off)) }
		return fieldReader{present: func(d *Deal) bool { return !get(d).IsZero() }, date: get}
	case f.Path == "business_case.impact":
		return fieldReader{present: hasImpact}
	case t == moneyType:
		return fieldReader{present: func(d *Deal) bool { return (*accord.Money)(at(d, off)).IsSet() }}
	case t == nextStepType:
		return fieldReader{present: func(d *Deal) bool {
			n := (*NextStep)(at(d, off))
			return !n.At.IsZero() && text(n.Purpose)
		}}
	case t == fitType:
		return fieldReader{present: func(d *Deal) bool { return (*Fit)(at(d, off)).valid() }}
	case t == strengthType:
		return fieldReader{present: func(d *Deal) bool { return (*Strength)(at(d, off)).valid() }}
	case t.Kind() == reflect.String:
		return fieldReader{present: func(d *Deal) bool { return text(*(*string)(at(d, off))) }, text: true, off: off}
	case t.Kind() == reflect.Bool:
		return fieldReader{present: func(d *Deal) bool { return *(*bool)(at(d, off)) }}
	case t.Kind() == reflect.Int:
		return fieldReader{present: func(d *Deal) bool { return *(*int)(at(d, off)) > 0 }}
	case t == stringsType:
		return fieldReader{present: func(d *Deal) bool { return list(*(*[]string)(at(d, off))) }}
	case t == stakeholderType:
		return fieldReader{present: func(d *Deal) bool {
			for _, s := range *(*[]Stakeholder)(at(d, off)) {
				if text(s.Name) {
					return true
				}
			}
			return false
		}}
	case t == requirementType:
		return fieldReader{present: func(d *Deal) bool {
			for i, rs := 0, *(*[]scope.Requirement)(at(d, off)); i < len(rs); i++ {
				if text(rs[i].Title) {
					return true
				}
			}
			return false
		}}
	case t == activitiesType:
		return fieldReader{present: func(d *Deal) bool { return len(*(*[]Activity)(at(d, off))) > 0 }}
	case t == artifactsType:
		return fieldReader{present: func(d *Deal) bool { return len(*(*[]Artifact)(at(d, off))) > 0 }}
	}
	return fieldReader{}
}
