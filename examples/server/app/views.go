package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/scope"
)

// What the web pages show is read here, where the library is called, so
// that the pages only lay it out.

// StageInfo describes one stage of the company's process: the open stages
// in order, then live and lost.
type StageInfo struct {
	ID, Name, Purpose string
	// HealthyDays is how long a deal may sit in the stage; 0 means no limit.
	HealthyDays int
	// Fields are the paths of the fields its criteria read.
	Fields []string
	Open   bool
}

// Stages lists the stages of the company's process.
func (a *App) Stages() []StageInfo {
	var out []StageInfo
	for _, s := range a.process.Stages() {
		out = append(out, StageInfo{ID: string(s.ID), Name: s.Name, Purpose: s.Purpose,
			HealthyDays: s.HealthyDays, Fields: s.RequiredFields(), Open: true})
	}
	return append(out,
		StageInfo{ID: string(deal.StageLive), Name: "Live", Purpose: "The customer is live."},
		StageInfo{ID: string(deal.StageLost), Name: "Lost", Purpose: "Lost or disqualified; may be reopened."})
}

func (a *App) stageInfo(id deal.StageID) StageInfo {
	for _, s := range a.Stages() {
		if s.ID == string(id) {
			return s
		}
	}
	return StageInfo{ID: string(id), Name: string(id)}
}

// Card is a deal as the pipeline board shows it.
type Card struct {
	ID, Account, Owner, Segment, Stage string
	Value                              string
	// DaysInStage is the whole days since the deal entered its stage,
	// HealthyDays the stage's healthy time (0: none).
	DaysInStage, HealthyDays int
	Risks                    []deal.Risk
	// Unmet counts the unmet exit criteria of the stage.
	Unmet    int
	NextStep deal.NextStep
	// Scope is the deal's reference to its Scope of Work, if it has one.
	Scope scope.Ref
}

// Overdue tells whether the deal has sat in its stage beyond its healthy time.
func (c Card) Overdue() bool { return c.HealthyDays > 0 && c.DaysInStage > c.HealthyDays }

// Column is one stage of the board with its deals.
type Column struct {
	Stage StageInfo
	Cards []Card
}

// BoardQuery filters the board; empty fields match every deal.
type BoardQuery struct{ Owner, Segment string }

// Board is the pipeline board: a column per stage, and the owners and
// segments of the deals the caller may see, to filter by.
type Board struct {
	Columns          []Column
	Owners, Segments []string
	Total            int
}

// Board reads the pipeline board for the caller: every deal they may see,
// by stage.
func (a *App) Board(ctx context.Context, p Principal, q BoardQuery) (Board, error) {
	var all []Doc[deal.Deal]
	after := ""
	for {
		page, err := a.ListDeals(ctx, p, DealQuery{After: after, Limit: 200})
		if err != nil {
			return Board{}, err
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	now := a.now()
	b := Board{}
	cols := map[string]int{}
	for _, s := range a.Stages() {
		cols[s.ID] = len(b.Columns)
		b.Columns = append(b.Columns, Column{Stage: s})
	}
	for _, doc := range all {
		d := &doc.Value
		if d.Owner != "" && !slices.Contains(b.Owners, d.Owner) {
			b.Owners = append(b.Owners, d.Owner)
		}
		if d.Segment != "" && !slices.Contains(b.Segments, d.Segment) {
			b.Segments = append(b.Segments, d.Segment)
		}
		if (q.Owner != "" && d.Owner != q.Owner) || (q.Segment != "" && d.Segment != q.Segment) {
			continue
		}
		i, ok := cols[string(d.Stage)]
		if !ok {
			continue
		}
		c := Card{ID: d.ID, Account: d.Account, Owner: d.Owner, Segment: d.Segment, Stage: string(d.Stage),
			Value: money(d.Value), DaysInStage: days(d.TimeInStage(now)), HealthyDays: b.Columns[i].Stage.HealthyDays,
			Risks: orEmpty(a.process.Risks(d, now)), NextStep: d.NextStep, Scope: d.Scope}
		if c.Account == "" {
			c.Account = d.AccountID
		}
		if b.Columns[i].Stage.Open {
			c.Unmet = len(a.process.Unmet(d, now))
		}
		b.Columns[i].Cards = append(b.Columns[i].Cards, c)
		b.Total++
	}
	slices.Sort(b.Owners)
	slices.Sort(b.Segments)
	return b, nil
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func money(m accord.Money) string {
	if !m.IsSet() {
		return ""
	}
	return m.String()
}

// StageTime is the time a deal spent in one stage against its healthy time.
type StageTime struct {
	Stage   StageInfo
	Days    float64
	Current bool
}

// Over tells whether the time exceeds the stage's healthy time.
func (s StageTime) Over() bool {
	return s.Stage.HealthyDays > 0 && s.Days > float64(s.Stage.HealthyDays)
}

// HistoryItem is one event of a deal's history with its stages named.
type HistoryItem struct {
	deal.Event
	FromName, ToName string
}

// Target is a stage a deal can move to by a revert or a reopen, with what
// blocks the move.
type Target struct {
	Stage StageInfo
	Unmet []accord.Unmet
}

// DealPage is everything the deal page shows.
type DealPage struct {
	Doc     Doc[deal.Deal]
	Stage   StageInfo
	Next    StageInfo
	Open    bool
	Lost    bool
	Unmet   []accord.Unmet
	Risks   []deal.Risk
	Times   []StageTime
	History []HistoryItem
	// Reverts and Reopens are the stages the deal can go back to; Lose
	// tells whether it can be lost now.
	Reverts, Reopens []Target
	Lose             bool
	// Editable tells whether the caller may edit the deal's fields.
	Editable bool
}

// DealPage reads a deal and what the process says of it now.
func (a *App) DealPage(ctx context.Context, p Principal, id string) (DealPage, error) {
	doc, err := a.GetDeal(ctx, p, id)
	if err != nil {
		return DealPage{}, err
	}
	now := a.now()
	d := &doc.Value
	pg := DealPage{Doc: doc, Stage: a.stageInfo(d.Stage), Lost: d.Stage == deal.StageLost,
		Editable: editors[accord.Role(p.Role)]}
	pg.Open = pg.Stage.Open
	if next, ok := a.process.StageAfter(d.Stage); ok {
		pg.Next = a.stageInfo(next)
	}
	if pg.Open {
		pg.Unmet = a.process.Unmet(d, now)
	}
	pg.Risks = a.process.Risks(d, now)
	spent := d.TimeByStage(now)
	for _, s := range a.Stages() {
		t, ok := spent[deal.StageID(s.ID)]
		if !ok && !(s.Open && s.HealthyDays > 0) {
			continue
		}
		pg.Times = append(pg.Times, StageTime{Stage: s, Days: math.Round(t.Hours()/24*10) / 10, Current: s.ID == string(d.Stage)})
	}
	for _, e := range d.History {
		pg.History = append(pg.History, HistoryItem{Event: e, FromName: a.stageInfo(e.From).Name, ToName: a.stageInfo(e.To).Name})
	}
	slices.Reverse(pg.History)
	for _, m := range a.process.Moves(d, now) {
		switch m.Kind {
		case deal.EventRevert:
			pg.Reverts = append(pg.Reverts, Target{Stage: a.stageInfo(m.To), Unmet: m.Unmet})
		case deal.EventReopen:
			pg.Reopens = append(pg.Reopens, Target{Stage: a.stageInfo(m.To), Unmet: m.Unmet})
		case deal.EventLost:
			pg.Lose = true
		}
	}
	return pg, nil
}

// Choice is one option of a choice field: its stored code and a label.
type Choice struct{ Value, Label string }

// Choices lists the options of the choice fields of a deal, by name:
// "fit", "champion_strength", "stakeholder_role", "requirement_kind",
// "requirement_priority", "loss_reason" and "artifact_kind".
func Choices() map[string][]Choice {
	c := func(vs ...string) []Choice {
		out := make([]Choice, len(vs))
		for i, v := range vs {
			out[i] = Choice{Value: v, Label: label(v)}
		}
		return out
	}
	var kinds, reasons []string
	for _, k := range scope.Kinds() {
		kinds = append(kinds, string(k))
	}
	for _, r := range deal.LossReasons() {
		reasons = append(reasons, string(r))
	}
	return map[string][]Choice{
		"fit":                  c(string(deal.FitStrong), string(deal.FitPossible), string(deal.FitNone)),
		"champion_strength":    c(string(deal.StrengthStrong), string(deal.StrengthModerate), string(deal.StrengthWeak), string(deal.StrengthNone)),
		"stakeholder_role":     c(string(deal.RoleChampion), string(deal.RoleEconomicBuyer), string(deal.RoleExecutiveSponsor), string(deal.RoleTechnicalEvaluator), string(deal.RoleProcurement), string(deal.RoleLegal), string(deal.RoleUser)),
		"requirement_kind":     c(kinds...),
		"requirement_priority": c(string(scope.Must), string(scope.Should), string(scope.Could)),
		"loss_reason":          c(reasons...),
		"artifact_kind":        c(deal.ArtifactBusinessCase, deal.ArtifactSignedAgreement, deal.ArtifactExecutedContract, deal.ArtifactSuccessPlan),
	}
}

// label turns a stored code into words: "economic_buyer" -> "Economic buyer".
func label(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// DealFields returns a deal as a JSON object, for pages that show and edit
// its fields by path.
func DealFields(d *Deal) (map[string]any, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("deal %s: %w", d.ID, err)
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// Unmet is one unmet criterion as the library reports it.
type Unmet = accord.Unmet
