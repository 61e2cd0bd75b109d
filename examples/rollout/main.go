// Command rollout shows a host running the five-phase CRM rollout: audit →
// pick → implement → train → iterate.
//
// The host takes the built-in template, [scope.CRMRollout], shows it as a
// day-by-day plan ([scope.SOW.Schedule]) and as a Mermaid gantt chart, and
// then walks the phases. Before each step starts it asks the scope
// ([scope.SOW.CanStart]) whether the exits of the phases before it hold,
// on evidence it measured with packages metrics and metrics/assess: the vendor scorecard, the
// maturity model's figures and the adoption figures
// ([assess.RolloutEvidence]).
//
//	go run ./examples/rollout
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

func run(w io.Writer) error {
	sow := scope.CRMRollout(scope.RolloutOptions{
		ID: "sow-crm", DealID: "deal-0042", Title: "Northwind CRM rollout",
		Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Price: accord.Money{Amount: decimal.NewFromInt(30000), Currency: "USD"},
	})
	// Monday to Friday; one consultant and one engineer, the consultant
	// off on Tuesday 17 March, in the middle of the training.
	cal := accord.Calendar{}
	team := scope.Capacity{
		PerRole: map[string]decimal.Decimal{"engineer": decimal.NewFromInt(8)},
		People:  []scope.Person{{ID: "ines", Role: "consultant", HoursPerDay: decimal.NewFromInt(8), Off: []time.Time{time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC)}}},
	}
	if err := sow.Validate(cal); err != nil {
		return err
	}
	plan, err := sow.Schedule(cal, team)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, %s to %s; at capacity to %s, a slip of %d working day(s):\n", plan.Title, plan.Start, plan.ScopedFinish, plan.FeasibleFinish, plan.Slip)
	for _, st := range plan.Steps {
		fmt.Fprintf(w, "  %-9s %-16s planned %s to %s, at capacity %s to %s\n", st.Phase, st.ID, st.Planned.First, st.Planned.Last, st.Feasible.First, st.Feasible.Last)
	}
	fmt.Fprintf(w, "\n```mermaid\n%s```\n\n", plan.Mermaid())

	ev := &assess.RolloutEvidence{}
	try := func(step string) error {
		err := sow.CanStart(step, ev)
		var blocked *accord.BlockedError
		switch {
		case err == nil:
			fmt.Fprintf(w, "  start %s: go.\n", step)
		case errors.As(err, &blocked):
			fmt.Fprintf(w, "  start %s: refused:\n", step)
			for _, u := range blocked.Unmet {
				fmt.Fprintf(w, "    - %s: %s\n", u.Criterion, u.Message)
			}
		default:
			return err
		}
		return nil
	}
	fmt.Fprintln(w, "Audit:")
	if err := try("score-vendors"); err != nil {
		return err
	}
	ev.ProcessMapped, ev.DataMapped = true, true
	fmt.Fprintln(w, "  the process and the data are mapped.")
	if err := try("score-vendors"); err != nil {
		return err
	}

	fmt.Fprintln(w, "Pick:")
	card, err := assess.Score([]assess.ScoreCriterion{
		{ID: assess.WorkflowFit, Name: "Fits how the team works", Weight: decimal.New(4, -1)},
		{ID: "cost", Name: "Total cost", Weight: decimal.New(3, -1)},
		{ID: "integrations", Name: "ERP integration", Weight: decimal.New(3, -1)},
	}, []assess.VendorScores{
		{Vendor: "Bolt CRM", Scores: map[string]int{assess.WorkflowFit: 3, "cost": 5, "integrations": 5}},
		{Vendor: "Acme CRM", Scores: map[string]int{assess.WorkflowFit: 5, "cost": 3, "integrations": 4}},
	})
	if err != nil {
		return err
	}
	ev.Scorecard, ev.Pick = card, "Bolt CRM"
	fmt.Fprintf(w, "  the scorecard ranks %s (%s) and %s (%s, eliminated %v); finance likes %s.\n",
		card.Ranking[0].Vendor, card.Ranking[0].Total, card.Ranking[1].Vendor, card.Ranking[1].Total, card.Ranking[1].Eliminated, ev.Pick)
	if err := try("configure"); err != nil {
		return err
	}
	ev.Pick = card.Winners[0]
	fmt.Fprintf(w, "  the team picks %s.\n", ev.Pick)
	if err := try("configure"); err != nil {
		return err
	}

	fmt.Fprintln(w, "Implement:")
	ev.DataMigrated = true
	ev.Figures = assess.MaturityFigures{DefinedProcess: true, RequiredFields: metrics.Rate{Num: 88, Den: 100}, Duplicates: metrics.Rate{Num: 9, Den: 100}}
	fmt.Fprintf(w, "  migrated; required fields %s, duplicates %s.\n", ev.Figures.RequiredFields, ev.Figures.Duplicates)
	if err := try("train"); err != nil {
		return err
	}
	ev.Figures.Duplicates = metrics.Rate{Num: 2, Den: 100}
	fmt.Fprintf(w, "  deduplicated: duplicates %s.\n", ev.Figures.Duplicates)
	if err := try("train"); err != nil {
		return err
	}

	fmt.Fprintln(w, "Train:")
	ev.Workflows = map[string]string{"u-asha": "account executive", "u-omar": "sdr", "u-li": "sales manager"}
	ev.Trained = map[string][]string{"u-asha": {"account executive"}, "u-omar": {"account executive"}}
	if err := try("review-adoption"); err != nil {
		return err
	}
	ev.Trained["u-omar"] = append(ev.Trained["u-omar"], "sdr")
	ev.Trained["u-li"] = []string{"sales manager"}
	fmt.Fprintln(w, "  Omar is trained on the SDR workflow, Li on the manager's.")
	if err := try("review-adoption"); err != nil {
		return err
	}

	fmt.Fprintln(w, "Iterate:")
	ev.Figures.WeeklyActive = metrics.Rate{Num: 17, Den: 20}
	for _, u := range sow.PhaseUnmet(scope.PhaseIterate, ev) {
		fmt.Fprintf(w, "  - %s: %s\n", u.Criterion, u.Message)
	}
	ev.AdoptionReviewed = true
	fmt.Fprintf(w, "  reviewed with the team: the rollout's exits all hold: %v.\n", len(sow.PhaseUnmet(scope.PhaseIterate, ev)) == 0)
	return nil
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
