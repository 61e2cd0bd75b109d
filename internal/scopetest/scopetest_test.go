package scopetest_test

import (
	"testing"

	"github.com/accordhq/accord/internal/scopetest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func TestLeadReview(t *testing.T) {
	s := &scope.SOW{
		Review: scope.Review{Revision: 3},
		Steps:  []scope.Step{{ID: "a", Owner: "consultant"}, {ID: "b", Owner: "engineer"}, {ID: "c", Owner: "consultant"}},
	}
	got := scopetest.LeadReview(s)
	want := scope.LeadReview{Revision: 3, Capacity: scope.Capacity{PerRole: map[string]decimal.Decimal{
		"consultant": decimal.NewFromInt(1000), "engineer": decimal.NewFromInt(1000),
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LeadReview (-want +got):\n%s", diff)
	}
}
