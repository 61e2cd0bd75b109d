package dealcsv

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/strictjson"
)

//go:embed presets/*.json
var presetFS embed.FS

// Presets lists the names of the shipped presets: "hubspot",
// "pipedrive" and "salesforce".
func Presets() []string { return []string{"hubspot", "pipedrive", "salesforce"} }

// PresetJSON returns the JSON of the named preset, to read or to copy as
// the start of one's own mapping; nil for an unknown name.
func PresetJSON(name string) []byte {
	if !slices.Contains(Presets(), name) {
		return nil
	}
	b, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil
	}
	return b
}

// Preset returns the named preset mapping (see [Presets] and the package
// documentation), or an error naming the presets.
func Preset(name string) (*Mapping, error) {
	b := PresetJSON(name)
	if b == nil {
		return nil, accord.Invalid("preset", "must be one of %v; got %q", Presets(), name)
	}
	return load(b, false)
}

var mappingKeys = []string{"preset", "kind", "columns", "entered", "stages", "closed_won", "won_values", "lost_values", "status", "loss_reasons", "changes", "joins", "dates", "currency"}

// Load reads a mapping written as JSON and validates it as a whole. Every
// problem is reported, joined, each an [*accord.FieldError] (wrapping
// [accord.ErrInvalid]) whose Field is its JSON path, such as
// "stages[2].id" or `status["Closed Won"]`: input that is not a JSON
// object, a key the mapping does not have, a key given twice, a value of
// the wrong type, and every rule of [Mapping.Validate]. It reads JSON with
// the library's one strict decoder, as deal.Load and policy.Load do.
//
// The keys are those of [Mapping] in snake_case: kind, columns (field to
// column), entered (stage to column), stages (each {id, name, values}),
// closed_won, won_values, lost_values, status (value to open, won or
// lost), loss_reasons (label to reason code), changes ({stage, status,
// loss, created}), joins (each {name, key, other_key}), dates ({formats,
// time_zone}) and currency. A mapping may start from a preset: with
// "preset": "hubspot", every other key given replaces the preset's, but
// columns, which are merged field by field.
func Load(data []byte) (*Mapping, error) { return load(data, true) }

func load(data []byte, presets bool) (*Mapping, error) {
	d := strictjson.NewDecoder("mapping")
	top, ok := d.Document(data, "a mapping", mappingKeys...)
	if !ok {
		return nil, d.Err()
	}
	m := &Mapping{}
	if raw, given := top["preset"]; given {
		name := d.String("preset", raw, "")
		switch {
		case !presets:
			d.Fail("preset", "a preset cannot start from another")
		case d.Failed("preset"):
		case PresetJSON(name) == nil:
			d.Fail("preset", "must be one of %v; got %q", Presets(), name)
		default:
			base, err := load(PresetJSON(name), false)
			if err != nil {
				return nil, fmt.Errorf("preset %s: %w", name, err)
			}
			m = base
		}
	}
	if raw, ok := top["kind"]; ok {
		m.Kind = Kind(d.String("kind", raw, ""))
	}
	if raw, ok := top["columns"]; ok {
		cols := free(d, "columns", "the columns", raw)
		if m.Columns == nil {
			m.Columns = map[Field]string{}
		}
		for _, k := range sortedKeys(cols) {
			v := d.String(strictjson.Path("columns", k), cols[k], "")
			if v == "" && top["preset"] != nil {
				delete(m.Columns, Field(k)) // "" takes a preset's column away
				continue
			}
			m.Columns[Field(k)] = v
		}
	}
	if raw, ok := top["entered"]; ok {
		m.Entered = freeStrings[deal.StageID, string](d, "entered", "the entered columns", raw)
	}
	if raw, ok := top["stages"]; ok {
		m.Stages = objects(d, "stages", "a stage", raw, []string{"id", "name", "values"}, func(p string, o map[string]json.RawMessage) Stage {
			return Stage{
				ID:     deal.StageID(d.String(p+".id", o["id"], "")),
				Name:   d.String(p+".name", o["name"], ""),
				Values: d.Strings(p+".values", o["values"]),
			}
		})
	}
	if raw, ok := top["closed_won"]; ok {
		m.ClosedWon = deal.StageID(d.String("closed_won", raw, ""))
	}
	if raw, ok := top["won_values"]; ok {
		m.WonValues = d.Strings("won_values", raw)
	}
	if raw, ok := top["lost_values"]; ok {
		m.LostValues = d.Strings("lost_values", raw)
	}
	if raw, ok := top["status"]; ok {
		m.Status = freeStrings[string, deal.Outcome](d, "status", "the status values", raw)
	}
	if raw, ok := top["loss_reasons"]; ok {
		m.LossReasons = freeStrings[string, deal.LossReason](d, "loss_reasons", "the loss reasons", raw)
	}
	if raw, ok := top["changes"]; ok {
		if o, ok := d.Object("changes", "the change keys", raw, "stage", "status", "loss", "created"); ok {
			m.Changes = ChangeKeys{
				Stage:   d.String("changes.stage", o["stage"], ""),
				Status:  d.String("changes.status", o["status"], ""),
				Loss:    d.String("changes.loss", o["loss"], ""),
				Created: d.String("changes.created", o["created"], ""),
			}
		}
	}
	if raw, ok := top["joins"]; ok {
		m.Joins = objects(d, "joins", "a join", raw, []string{"name", "key", "other_key"}, func(p string, o map[string]json.RawMessage) Join {
			return Join{
				Name:     d.String(p+".name", o["name"], ""),
				Key:      d.String(p+".key", o["key"], ""),
				OtherKey: d.String(p+".other_key", o["other_key"], ""),
			}
		})
	}
	if raw, ok := top["dates"]; ok {
		if o, ok := d.Object("dates", "the date settings", raw, "formats", "time_zone"); ok {
			m.Dates = Dates{
				Formats:  d.Strings("dates.formats", o["formats"]),
				TimeZone: d.String("dates.time_zone", o["time_zone"], ""),
			}
		}
	}
	if raw, ok := top["currency"]; ok {
		m.Currency = accord.Currency(d.String("currency", raw, ""))
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// objects decodes raw, the array at path, as objects with the keys given,
// each made into a T by item from its path and its keys' values. An
// element that is not such an object is reported and left out.
func objects[T any](d *strictjson.Decoder, path, noun string, raw json.RawMessage, keys []string, item func(p string, o map[string]json.RawMessage) T) []T {
	var out []T
	for i, e := range d.Array(path, raw) {
		p := fmt.Sprintf("%s[%d]", path, i)
		if o, ok := d.Object(p, noun, e, keys...); ok {
			out = append(out, item(p, o))
		}
	}
	return out
}

// freeStrings decodes raw, the value at path, as an object whose keys are
// the caller's own (values of an export) and whose values are strings.
func freeStrings[K, V ~string](d *strictjson.Decoder, path, noun string, raw json.RawMessage) map[K]V {
	out := map[K]V{}
	o := free(d, path, noun, raw)
	for _, k := range sortedKeys(o) {
		out[K(k)] = V(d.String(strictjson.Path(path, k), o[k], ""))
	}
	return out
}

// free decodes raw, the value at path, as an object whose keys are the
// caller's own (values of an export), reporting a key given twice.
func free(d *strictjson.Decoder, path, noun string, raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		d.Fail(path, "must be %s, a JSON object", noun)
		return nil
	}
	out, _ := d.Object(path, noun, raw, sortedKeys(m)...)
	return out
}
