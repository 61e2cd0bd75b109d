package dealcsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/strictjson"
)

// Kind says what one row of an export is.
type Kind string

// The kinds of export.
const (
	// KindDeals: one row per deal, as a CRM's deal or opportunity list
	// exports it (a snapshot), optionally with the date the deal entered
	// each stage (HubSpot's stage history properties).
	KindDeals Kind = "deals"
	// KindChanges: one row per change, as a stage history (Salesforce's
	// OpportunityHistory) or a field-change log (Pipedrive's deal changes)
	// exports it; each deal's history is built from its rows.
	KindChanges Kind = "changes"
)

// Field names what a column holds. The codes are stable: mappings store
// them.
type Field string

// The fields a column can be mapped to.
const (
	FieldID      Field = "id"     // the deal's ID; required
	FieldStage   Field = "stage"  // the stage: its label or ID in the CRM
	FieldStatus  Field = "status" // open, won or lost, through Mapping.Status
	FieldIsWon   Field = "is_won" // a true/false flag: the deal is won
	FieldIsClose Field = "is_closed"
	FieldOpened  Field = "opened" // the date the deal was created
	FieldClosed  Field = "closed" // the date it was won or lost
	FieldValue   Field = "value"
	FieldCurr    Field = "currency" // the currency of the value, per row
	FieldOwner   Field = "owner"
	FieldSegment Field = "segment"
	FieldReason  Field = "loss_reason" // the loss reason, through Mapping.LossReasons
	FieldNote    Field = "loss_note"   // free text kept with the loss
	FieldAt      Field = "at"          // changes: when the change was made
	FieldChanged Field = "field"       // changes: which field changed, in a field-change log
	FieldNew     Field = "new_value"   // changes: its new value, in a field-change log
)

var (
	dealFields   = []Field{FieldID, FieldStage, FieldStatus, FieldIsWon, FieldIsClose, FieldOpened, FieldClosed, FieldValue, FieldCurr, FieldOwner, FieldSegment, FieldReason, FieldNote}
	changeFields = []Field{FieldID, FieldAt, FieldStage, FieldChanged, FieldNew, FieldStatus, FieldIsWon, FieldIsClose, FieldClosed, FieldValue, FieldCurr, FieldOwner, FieldSegment, FieldReason, FieldNote}
)

// Mapping says how to read one CRM's export: which column holds each
// field, how values translate into the library's vocabulary, which other
// files to join, and how dates and amounts are written. It is data: load
// it from JSON with [Load], start from a [Preset], or build it in Go.
type Mapping struct {
	// Kind is what a row is: KindDeals (the default) or KindChanges.
	Kind Kind
	// Columns names the column of each field. A column is looked up in
	// the export, then in each joined file in order; "JOIN.column" names
	// the column of one joined file. Names match exactly, or else
	// ignoring case when only one column matches.
	Columns map[Field]string
	// Entered, for KindDeals, names for each stage the column holding the
	// date the deal entered it, such as HubSpot's "Date entered
	// 'Appointment Scheduled (Sales Pipeline)'". A deal's history is then
	// built from those dates.
	Entered map[deal.StageID]string

	// Stages lists the open stages in order, each with the values the
	// stage column uses for it (labels, internal IDs). Empty means: for
	// KindDeals, one open stage "open"; for KindChanges, the labels the
	// log names, which must then be numbers (ordered as numbers).
	Stages []Stage
	// ClosedWon is the stage whose entry is Closed Won; stages after it
	// are after the sale (onboarding, say). Empty means that the deal is
	// won when it goes live: on a won value or a won status.
	ClosedWon deal.StageID
	// WonValues and LostValues are stage-column values that mean won and
	// lost ("Closed Won", "closedlost"), compared ignoring case. A won
	// value enters the Closed Won stage; a lost value loses the deal at
	// the stage it reached.
	WonValues, LostValues []string
	// Status maps the values of the status column (compared ignoring
	// case) to deal.OutcomeOpen, deal.OutcomeWon or deal.OutcomeLost.
	Status map[string]deal.Outcome
	// LossReasons maps loss reason labels (compared ignoring case) to the
	// loss vocabulary. A label that is itself a reason code needs no
	// entry; any other label reads as deal.LossOther, its text kept as
	// the loss note.
	LossReasons map[string]deal.LossReason
	// Changes says, for a field-change log (KindChanges with the field
	// column mapped), which field keys carry what.
	Changes ChangeKeys
	// Joins lists the other files to join, each given to [Read] as a
	// reader under its name.
	Joins []Join
	// Dates says how dates are written.
	Dates Dates
	// Currency is the currency of the values. Required.
	Currency accord.Currency
}

// Stage is one open stage of a mapping.
type Stage struct {
	ID   deal.StageID
	Name string
	// Values are what the export's stage column writes for the stage,
	// compared ignoring case; the ID and the name always count.
	Values []string
}

// ChangeKeys names the field keys of a field-change log.
type ChangeKeys struct {
	// Stage is the key of stage changes (new value: the new stage).
	Stage string
	// Status is the key of status changes (new value: a Status value).
	Status string
	// Loss is the key of loss-reason changes: the deal is lost, for the
	// reason in the new value.
	Loss string
	// Created is the key written once when a deal is created. Two of them
	// for one deal ID mean two separate histories under one ID: the deal
	// is refused rather than merged.
	Created string
}

// Join adds the columns of another file, matched on a key.
type Join struct {
	// Name names the file: the key of its reader in [Options.Joins], and
	// its prefix in column names ("accounts.sector").
	Name string
	// Key is the column of the export (or of a join listed before) that
	// holds the key; OtherKey the key column of the joined file, Key's
	// name when empty.
	Key, OtherKey string
}

// Dates says how the dates of an export are written.
type Dates struct {
	// Formats are Go time layouts, such as "02/01/2006" for day first,
	// tried in order. Empty means any layout of the common ones:
	// 2024-03-31, RFC 3339, 2024-03-31 14:05[:00], 3/31/2024 [2:05 PM],
	// 31.3.2024, 31 Mar 2024, March 31, 2024.
	Formats []string
	// TimeZone is the IANA name of the zone of dates without an offset,
	// resolved by [Options.Zone]. Empty means UTC.
	TimeZone string
}

// fieldsOf returns the fields a kind reads.
func (k Kind) fields() []Field {
	if k == KindChanges {
		return changeFields
	}
	return dealFields
}

// Validate reports every problem of the mapping, each an
// [*accord.FieldError] naming its JSON path.
func (m *Mapping) Validate() error {
	if m == nil {
		return accord.Invalid("mapping", "is nil")
	}
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, accord.Invalid(field, format, args...))
	}
	kind := m.Kind
	if kind == "" {
		kind = KindDeals
	}
	if kind != KindDeals && kind != KindChanges {
		bad("kind", "must be deals or changes; got %q", m.Kind)
		kind = KindDeals
	}
	known := kind.fields()
	for _, f := range sortedKeys(m.Columns) {
		if !slices.Contains(known, f) {
			bad(strictjson.Path("columns", string(f)), "is not a field of a %s export; the fields are %s", kind, fieldList(known))
		} else if strings.TrimSpace(m.Columns[f]) == "" {
			bad(strictjson.Path("columns", string(f)), "must name a column")
		}
	}
	has := func(f Field) bool { return m.Columns[f] != "" }
	if !has(FieldID) {
		bad("columns.id", "is required")
	}
	switch kind {
	case KindDeals:
		if !has(FieldStage) && !has(FieldStatus) && !has(FieldIsWon) && len(m.Entered) == 0 {
			bad("columns.stage", "is required unless status, is_won or entered is given")
		}
	case KindChanges:
		if !has(FieldAt) {
			bad("columns.at", "is required in a log of changes")
		}
		switch {
		case has(FieldChanged) && !has(FieldNew):
			bad("columns.new_value", "is required with columns.field")
		case has(FieldChanged) && m.Changes.Stage == "" && m.Changes.Status == "" && m.Changes.Loss == "":
			bad("changes.stage", "is required with columns.field: name the field key of stage changes")
		case !has(FieldChanged) && !has(FieldStage):
			bad("columns.stage", "is required in a log of changes without columns.field")
		}
		if len(m.Entered) > 0 {
			bad("entered", "applies to a deals export only")
		}
	}
	if !has(FieldChanged) && m.Changes != (ChangeKeys{}) {
		bad("changes", "applies with columns.field only")
	}
	ids := map[deal.StageID]int{}
	values := map[string]string{}
	claim := func(path, v, owner string) {
		k := strings.ToLower(strings.TrimSpace(v))
		if k == "" {
			bad(path, "must not be blank")
			return
		}
		if o, dup := values[k]; dup && o != owner {
			bad(path, "%q already stands for %s", v, o)
			return
		}
		values[k] = owner
	}
	for i, s := range m.Stages {
		p := fmt.Sprintf("stages[%d]", i)
		switch {
		case s.ID == "":
			bad(p+".id", "is required")
		case s.ID == deal.StageLive || s.ID == deal.StageLost:
			bad(p+".id", "must not be %s: the process adds it", s.ID)
		default:
			if j, dup := ids[s.ID]; dup {
				bad(p+".id", "%q repeats stages[%d]", s.ID, j)
			}
			ids[s.ID] = i
		}
		owner := "stage " + string(s.ID)
		claim(p+".id", string(s.ID), owner)
		if s.Name != "" {
			claim(p+".name", s.Name, owner)
		}
		for j, v := range s.Values {
			claim(fmt.Sprintf("%s.values[%d]", p, j), v, owner)
		}
	}
	for i, v := range m.WonValues {
		claim(fmt.Sprintf("won_values[%d]", i), v, "won")
	}
	for i, v := range m.LostValues {
		claim(fmt.Sprintf("lost_values[%d]", i), v, "lost")
	}
	if m.ClosedWon != "" {
		switch i, ok := ids[m.ClosedWon]; {
		case !ok:
			bad("closed_won", "%q is not one of the stages", m.ClosedWon)
		case i == 0:
			bad("closed_won", "%q is the first stage; a deal must be open before it is won", m.ClosedWon)
		}
	}
	for _, k := range sortedKeys(m.Entered) {
		if _, ok := ids[k]; !ok {
			bad(strictjson.Path("entered", string(k)), "is not one of the stages")
		} else if strings.TrimSpace(m.Entered[k]) == "" {
			bad(strictjson.Path("entered", string(k)), "must name a column")
		}
	}
	status := map[string]bool{}
	for _, k := range sortedKeys(m.Status) {
		o := m.Status[k]
		if o != deal.OutcomeOpen && o != deal.OutcomeWon && o != deal.OutcomeLost {
			bad(strictjson.Path("status", k), "must be open, won or lost; got %q", o)
		}
		if l := strings.ToLower(strings.TrimSpace(k)); status[l] {
			bad(strictjson.Path("status", k), "repeats a value (values compare ignoring case)")
		} else {
			status[l] = true
		}
	}
	if has(FieldStatus) && len(m.Status) == 0 || m.Changes.Status != "" && len(m.Status) == 0 {
		bad("status", "is required with a status column: map each status value to open, won or lost")
	}
	for _, k := range sortedKeys(m.LossReasons) {
		if r := m.LossReasons[k]; !r.Valid() {
			bad(strictjson.Path("loss_reasons", k), "must be one of the loss reasons; got %q", r)
		}
	}
	names := map[string]bool{}
	for i, j := range m.Joins {
		p := fmt.Sprintf("joins[%d]", i)
		switch {
		case strings.TrimSpace(j.Name) == "":
			bad(p+".name", "is required")
		case names[strings.ToLower(j.Name)]:
			bad(p+".name", "%q is joined twice", j.Name)
		}
		names[strings.ToLower(j.Name)] = true
		if strings.TrimSpace(j.Key) == "" {
			bad(p+".key", "is required")
		}
	}
	for i, f := range m.Dates.Formats {
		if strings.TrimSpace(f) == "" {
			bad(fmt.Sprintf("dates.formats[%d]", i), "must not be blank")
		}
	}
	if !m.Currency.Valid() {
		bad("currency", "must be an ISO 4217 code such as USD; got %q", m.Currency)
	}
	return errors.Join(errs...)
}

func fieldList(fs []Field) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
