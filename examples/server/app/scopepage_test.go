package app_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/accordhq/accord/examples/server/app"
)

// pageScope has a step on a date across a weekend and one milestone.
const pageScope = `{"id":"s-1","title":"Rollout","start":"2026-09-04T00:00:00Z",
	"requirements":[{"id":"R1","title":"One pipeline","kind":"future_state","priority":"must","source":{"name":"Kim","at":"2026-02-10T15:00:00Z"}}],
	"deliverables":[{"id":"pipeline","name":"Pipeline","requirements":["R1"]}],
	"price":{"amount":"100","currency":"USD"},
	"steps":[
		{"id":"configure","offset":0,"days":2,"activity":"configuration","phase":"configure","requirements":["R1"],"effort_hours":"32","owner":"consultant"},
		{"id":"go-live","date":"2026-09-08T00:00:00Z","days":1,"activity":"go_live","phase":"go_live","effort_hours":"4","owner":"consultant","depends_on":["configure"]}],
	"milestones":[{"id":"m","name":"Live","offset":2,"steps":["go-live"]}]}`

func TestScopePage(t *testing.T) {
	a, _, _ := newApp(t)
	ctx := context.Background()
	if _, err := a.CreateDeal(ctx, rep, []byte(`{"id":"d-1","account_id":"acme","account":"Acme"}`)); err != nil {
		t.Fatal(err)
	}
	s, err := a.CreateScope(ctx, rep, "d-1", []byte(pageScope))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.PatchScope(ctx, rep, "s-1", s.Rev, []byte(`{"title":"Rollout, revised","in_scope":["training"]}`)); err != nil {
		t.Fatal(err)
	}
	eight, fields := app.CapacityOf(map[string]string{"consultant": "8"})
	if fields != nil {
		t.Fatalf("CapacityOf 8 hours: %v", fields)
	}
	pg, err := a.ScopePage(ctx, rep, "s-1", app.ScopeQuery{Capacity: &eight})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the plan is on working days: Friday, then Monday", func(t *testing.T) {
		var got []string
		for _, d := range pg.Plan.Days {
			got = append(got, d.Date.String())
		}
		if want := []string{"2026-09-04", "2026-09-07", "2026-09-08"}; !reflect.DeepEqual(got, want) {
			t.Errorf("days %v, want %v", got, want)
		}
		st := pg.Plan.Steps
		if !st[0].Placed || st[0].End.String() != "2026-09-07" || !st[1].Placed || st[1].First != 2 {
			t.Errorf("steps %+v, want configure on 4 and 7 September and go-live on working day 2", st)
		}
		if m := pg.Plan.Milestones[0]; !m.Placed || m.Date.String() != "2026-09-08" {
			t.Errorf("milestone %+v, want placed on 2026-09-08", m)
		}
	})
	t.Run("overloaded days are the days the capacity asked for is exceeded", func(t *testing.T) {
		if !pg.Asked || !pg.Judged || pg.Plan.Overloaded != 2 || !pg.Plan.Steps[0].Overloaded || pg.Plan.Steps[1].Overloaded {
			t.Errorf("asked %v, judged %v, %d overloaded days, steps overloaded %v and %v; want 2 days, configure only",
				pg.Asked, pg.Judged, pg.Plan.Overloaded, pg.Plan.Steps[0].Overloaded, pg.Plan.Steps[1].Overloaded)
		}
	})
	t.Run("the difference is between the last two revisions", func(t *testing.T) {
		want := app.Diff{From: 1, To: 2, Changes: []app.ContentChange{
			{Path: "in_scope[0]", After: "training"},
			{Path: "title", Before: "Rollout", After: "Rollout, revised"},
		}}
		if !reflect.DeepEqual(pg.Diff, want) {
			t.Errorf("diff %+v, want %+v", pg.Diff, want)
		}
	})
	t.Run("a rep may edit and submit, not review", func(t *testing.T) {
		if want := (app.ScopeActions{Edit: true, Submit: true}); pg.Can != want {
			t.Errorf("actions %+v, want %+v", pg.Can, want)
		}
		if pg.Payment == nil || pg.Payment.Allowed || len(pg.Payment.Unmet) != 1 {
			t.Errorf("payment %+v, want refused with one unmet criterion", pg.Payment)
		}
	})
	t.Run("a client sees no payment and cannot review a draft", func(t *testing.T) {
		cp, err := a.ScopePage(ctx, client, "s-1", app.ScopeQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if cp.Payment != nil || cp.Can != (app.ScopeActions{}) || cp.Judged {
			t.Errorf("payment %+v, actions %+v, judged %v; want none, none, false", cp.Payment, cp.Can, cp.Judged)
		}
		if _, err := a.ScopePage(ctx, other, "s-1", app.ScopeQuery{}); kind(t, err) != app.KindNotFound {
			t.Errorf("another account's client: %v, want not found", err)
		}
	})
	t.Run("a capacity that is not a number names its role", func(t *testing.T) {
		_, fields := app.CapacityOf(map[string]string{"consultant": "eight", "engineer": ""})
		want := []app.FieldError{{Field: `capacity.per_role["consultant"]`, Rule: "must be a number of hours per day, such as 8"}}
		if !reflect.DeepEqual(fields, want) {
			t.Errorf("fields %v, want %v", fields, want)
		}
	})
}
