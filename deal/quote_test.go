package deal_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func TestValidateQuoteAndLead(t *testing.T) {
	at := time.Date(2027, time.May, 3, 10, 0, 0, 0, time.UTC)
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	d.Quote = deal.Quote{ID: "q-1",
		Lines: []deal.QuoteLine{
			{Product: "accord", Edition: "complete", Price: accord.Money{Amount: decimal.NewFromInt(100), Currency: "USD"}},
			{Product: " ", Price: accord.Money{Amount: decimal.NewFromInt(5), Currency: "XXY"}},
		},
		Discounts: []deal.Discount{
			{ID: "ok", Amount: accord.Money{Amount: decimal.NewFromInt(10), Currency: "USD"}, OfferedAt: at, Concession: deal.ConcessionReference},
			{ID: "bad", Concession: "goodwill"},
		},
	}
	d.Lead = deal.Lead{Inbound: true, FirstTouchAt: at}
	err := d.Validate()
	wantMsg := "quote.lines[1].product: is required\n" +
		`quote.lines[1].price.currency: must be an active ISO 4217 code, got "XXY"` + "\n" +
		"quote.discounts[1].offered_at: is required\n" +
		`quote.discounts[1].concession: must be multi_year_term, reference, faster_signature or expanded_scope; got "goodwill"` + "\n" +
		"lead.received_at: is required once lead.first_touch_at is set"
	if err == nil {
		t.Fatal("Validate accepted the quote")
	}
	if diff := cmp.Diff(wantMsg, err.Error()); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, c := range deal.Concessions() {
		if !c.Valid() {
			t.Errorf("%q is listed but not valid", c)
		}
	}
	if deal.Concession("").Valid() {
		t.Error("the empty concession is valid")
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	at := time.Date(2027, time.May, 3, 10, 0, 0, 0, time.FixedZone("IST", 19800))
	d := deal.Deal{ID: "d-1", Owner: rep.ID,
		Lead: deal.Lead{Inbound: true, ReceivedAt: at, FirstTouchAt: at.Add(3 * time.Minute)},
		Quote: deal.Quote{ID: "q-1",
			Lines:     []deal.QuoteLine{{Product: "accord", Edition: "complete", AddOn: true, Price: accord.Money{Amount: decimal.RequireFromString("100.50"), Currency: "USD"}}},
			Discounts: []deal.Discount{{ID: "x", Amount: accord.Money{Amount: decimal.NewFromInt(10), Currency: "USD"}, OfferedAt: at, By: "rep-1", Concession: deal.ConcessionMultiYear, Note: "24 months"}},
		},
	}
	back := jsontest.Copy(t, d)
	if diff := cmp.Diff(d.Quote, back.Quote); diff != "" {
		t.Errorf("quote after a round trip (-before +after):\n%s", diff)
	}
	if !back.Lead.ReceivedAt.Equal(d.Lead.ReceivedAt) || !back.Lead.FirstTouchAt.Equal(d.Lead.FirstTouchAt) || !back.Lead.Inbound {
		t.Errorf("lead after a round trip: %+v", back.Lead)
	}
}

// explaining is a host rule that explains itself: one reason per missing
// field among "a" and "b".
type explaining struct{}

func (explaining) Met(d *deal.Deal, _ time.Time) bool {
	return d.Fields["a"] != "" && d.Fields["b"] != ""
}
func (explaining) Explain(d *deal.Deal, _ time.Time) []accord.Unmet {
	var out []accord.Unmet
	for _, k := range []string{"a", "b"} {
		if d.Fields[k] == "" {
			out = append(out, accord.Unmet{Message: "fill in " + k, Field: "fields." + k})
		}
	}
	return out
}

// TestExplainerInAProcess: a criterion whose rule explains itself, even
// behind Named, is reported once per reason, in place, between the others.
func TestExplainerInAProcess(t *testing.T) {
	p, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{
		{ID: "one", Name: "One", Exit: []deal.Criterion{
			{ID: "first", Description: "Fill in the first field.", Rule: deal.Present("fields.first")},
			{ID: "pair", Description: "Fill in a and b.", Rule: deal.Named("pair", explaining{})},
			{ID: "last", Description: "Fill in the last field.", Rule: deal.Present("fields.last")},
		}},
		{ID: "two", Name: "Two"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	now := time.Date(2027, time.May, 3, 10, 0, 0, 0, time.UTC)
	if err := p.Open(&d, rep, now); err != nil {
		t.Fatal(err)
	}
	want := []accord.Unmet{
		{Criterion: "first", State: "one", Side: accord.SideExit, Message: "Fill in the first field.", Field: "fields.first"},
		{Criterion: "pair", State: "one", Side: accord.SideExit, Message: "fill in a", Field: "fields.a"},
		{Criterion: "pair", State: "one", Side: accord.SideExit, Message: "fill in b", Field: "fields.b"},
		{Criterion: "last", State: "one", Side: accord.SideExit, Message: "Fill in the last field.", Field: "fields.last"},
	}
	if diff := cmp.Diff(want, p.Unmet(&d, now)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	d.Fields = map[string]string{"first": "x", "a": "y", "last": "z"}
	want = []accord.Unmet{{Criterion: "pair", State: "one", Side: accord.SideExit, Message: "fill in b", Field: "fields.b"}}
	if diff := cmp.Diff(want, p.Unmet(&d, now)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	d.Fields["b"] = "w"
	if err := p.Advance(&d, rep, now); err != nil {
		t.Fatal(err)
	}
}
