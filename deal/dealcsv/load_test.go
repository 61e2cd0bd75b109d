package dealcsv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal/dealcsv"
)

// TestLoadErrors checks that every problem of a mapping is reported at its
// JSON path, all at once.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"not JSON", `{`, []string{"mapping: is not valid JSON: unexpected end of JSON input (at byte 1)"}},
		{"not an object", `[]`, []string{"mapping: must be a mapping, a JSON object"}},
		{"types and keys", `{"kind":1,"colour":"red","currency":"USD","columns":{"id":2},"stages":[{"id":"a","nam":"A"}]}`, []string{
			"colour: is not a field of a mapping; the fields are preset, kind, columns, entered, stages, closed_won, won_values, lost_values, status, loss_reasons, changes, joins, dates, currency",
			"kind: must be a string",
			"columns.id: must be a string",
			"stages[0].nam: is not a field of a stage; the fields are id, name, values",
		}},
		{"rules", `{"kind":"rows","columns":{"id":"ID","colour":"C"},"currency":"usd",
			"stages":[{"id":"a","name":"Lead"},{"id":"a","name":"Demo"},{"id":"lost"},{"id":"c","values":["LEAD"]}],
			"closed_won":"z","status":{"Won":"victory","won":"won"},"loss_reasons":{"Too pricey":"expensive"},
			"entered":{"q":"Date Q"},"joins":[{"name":"","key":""}],"dates":{"formats":[" "]}}`, []string{
			`kind: must be deals or changes; got "rows"`,
			"columns.colour: is not a field of a deals export; the fields are id, stage, status, is_won, is_closed, opened, closed, value, currency, owner, segment, loss_reason, loss_note",
			`stages[1].id: "a" repeats stages[0]`,
			"stages[2].id: must not be lost: the process adds it",
			`stages[3].values[0]: "LEAD" already stands for stage a`,
			`closed_won: "z" is not one of the stages`,
			"entered.q: is not one of the stages",
			`status.Won: must be open, won or lost; got "victory"`,
			"status.won: repeats a value (values compare ignoring case)",
			`loss_reasons["Too pricey"]: must be one of the loss reasons; got "expensive"`,
			"joins[0].name: is required",
			"joins[0].key: is required",
			"dates.formats[0]: must not be blank",
			`currency: must be an ISO 4217 code such as USD; got "usd"`,
		}},
		{"changes", `{"kind":"changes","columns":{"id":"i","field":"f"},"currency":"EUR","changes":{"stage":"s"}}`, []string{
			"columns.at: is required in a log of changes",
			"columns.new_value: is required with columns.field",
		}},
		{"preset", `{"preset":"zoho"}`, []string{`preset: must be one of [hubspot pipedrive salesforce]; got "zoho"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dealcsv.Load([]byte(tt.in))
			if err == nil {
				t.Fatal("got no error")
			}
			if !errors.Is(err, accord.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzLoad loads arbitrary bytes as a mapping: no input may panic, and a
// mapping that loads validates.
func FuzzLoad(f *testing.F) {
	for _, name := range dealcsv.Presets() {
		f.Add(dealcsv.PresetJSON(name))
	}
	f.Add([]byte(`{"preset":"pipedrive","columns":{"id":"deal_id"}}`))
	f.Add([]byte(`{"columns":{"id":"a","stage":"b"},"won_values":["W"],"currency":"USD","status":{"x":"won"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := dealcsv.Load(data)
		if err != nil {
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("loaded a mapping that does not validate: %v", err)
		}
	})
}
