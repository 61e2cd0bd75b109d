package deal

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord/internal/fieldpath"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestFieldPaths pins the paths derived from the Deal type: those
// criteria named before the table was derived, and no field of Deal left
// without a reader unless notByPath excludes it.
func TestFieldPaths(t *testing.T) {
	want := []string{
		"id", "account_id", "account", "owner", "segment", "value", "close_date",
		"targeting.trigger", "targeting.hypothesis", "qualification.why_now", "qualification.fit",
		"discovery.problem", "discovery.desired_outcome", "discovery.success_criteria",
		"discovery.constraints.security", "discovery.constraints.timeline",
		"discovery.constraints.integrations", "discovery.constraints.legal",
		"discovery.current_stack", "discovery.blockers", "discovery.requirements",
		"alignment.agreed_by", "alignment.agreed_at",
		"business_case.summary", "business_case.impact", "business_case.agreed_by", "business_case.agreed_at",
		"business_case.champion_strength", "business_case.no_executive_sponsor",
		"business_case.no_executive_sponsor_by", "business_case.no_executive_sponsor_at", "business_case.decision_plan",
		"commercials.decision_path", "commercials.procurement", "commercials.legal",
		"commercials.implementation_start", "commercials.final_price", "commercials.term_months",
		"commercials.concessions", "onboarding.first_milestone_at", "onboarding.live_at",
		"stakeholders", "activities", "next_step", "artifacts",
	}
	var got []string
	for p := range fieldReaders {
		got = append(got, p)
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	wantDates := []string{"close_date", "alignment.agreed_at", "business_case.agreed_at", "business_case.no_executive_sponsor_at", "commercials.implementation_start", "onboarding.first_milestone_at", "onboarding.live_at"}
	if diff := cmp.Diff(wantDates, datePaths); diff != "" {
		t.Errorf("date paths (-want +got):\n%s", diff)
	}
	leaf := func(t reflect.Type) bool { return t == timeType || t == moneyType || t == nextStepType }
	for _, f := range fieldpath.Fields(reflect.TypeFor[Deal](), notByPath, leaf) {
		if _, ok := fieldReaders[f.Path]; !ok {
			t.Errorf("field %s (%v) has no reader: say what present means for its type in reader, or list it in notByPath", f.Path, f.Type)
		}
	}
}

// TestFieldReadersReadTheirField checks on drawn deals that each reader
// reads its own field: the reader's answer follows the field's value as
// reflect reads it, by the rule of its type.
func TestFieldReadersReadTheirField(t *testing.T) {
	leaf := func(t reflect.Type) bool { return t == timeType || t == moneyType || t == nextStepType }
	fields := fieldpath.Fields(reflect.TypeFor[Deal](), notByPath, leaf)
	rapid.Check(t, func(t *rapid.T) {
		d := &Deal{}
		v := reflect.ValueOf(d).Elem()
		for _, f := range fields {
			fv := v.FieldByIndex(f.Index)
			switch fv.Kind() {
			case reflect.String:
				fv.SetString(rapid.SampledFrom([]string{"", " ", "x", " y ", "strong", "possible", "not_a_fit", "moderate", "weak", "none"}).Draw(t, f.Path))
			case reflect.Bool:
				fv.SetBool(rapid.Bool().Draw(t, f.Path))
			case reflect.Int:
				fv.SetInt(int64(rapid.IntRange(-2, 2).Draw(t, f.Path)))
			case reflect.Struct:
				if f.Type == timeType && rapid.Bool().Draw(t, f.Path) {
					fv.Set(reflect.ValueOf(time.Unix(rapid.Int64Range(-1e10, 1e10).Draw(t, f.Path+"_at"), 0)))
				}
			}
		}
		for _, f := range fields {
			fv := v.FieldByIndex(f.Index)
			r := fieldReaders[f.Path]
			var want bool
			switch fv.Kind() {
			case reflect.String:
				want = text(fv.String())
				if f.Type == fitType {
					want = Fit(fv.String()).valid()
				} else if f.Type == strengthType {
					want = Strength(fv.String()).valid()
				}
			case reflect.Bool:
				want = fv.Bool()
			case reflect.Int:
				want = fv.Int() > 0
			default:
				continue // the composite types: see TestPresent
			}
			if got := r.present(d); got != want {
				t.Fatalf("%s = %v: present %v, want %v", f.Path, fv.Interface(), got, want)
			}
		}
		for _, p := range datePaths {
			var f fieldpath.Field
			for _, x := range fields {
				if x.Path == p {
					f = x
				}
			}
			if got, want := fieldReaders[p].date(d), v.FieldByIndex(f.Index).Interface().(time.Time); !got.Equal(want) || got != want {
				t.Fatalf("date %s = %v, want %v", p, got, want)
			}
		}
	})
}
