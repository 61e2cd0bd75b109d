package deal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
)

// fuzzRules are the host rules the fuzz targets register.
var fuzzRules = map[string]deal.Rule{
	"verified": deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["verified"] == "yes" }),
}

// everyProblemHasAPath fails unless every error joined in err is a
// *accord.FieldError with a path.
func everyProblemHasAPath(t *testing.T, err error) {
	t.Helper()
	for _, e := range errtest.Leaves(err) {
		var fe *accord.FieldError
		if !errors.As(e, &fe) || fe.Field == "" {
			t.Fatalf("problem without a path: %v (in %v)", e, err)
		}
	}
}

func loadSeeds(f *testing.F) {
	for _, p := range []*deal.Process{deal.Default(), deal.Unified()} {
		b, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		s := string(b)
		for _, broken := range []string{
			strings.Replace(s, `"kind":"present"`, `"kind":"presnt"`, 1),
			strings.Replace(s, `"path":"segment"`, `"days":3`, 1),
			strings.Replace(s, `"id":"qualification"`, `"id":"targeting"`, 1),
			strings.Replace(s, `"id":"handoff"`, `"id":"live"`, 1),
			strings.Replace(s, `"probability":0.05`, `"probability":"1e-999"`, 1),
			strings.Replace(s, `"n":1`, `"n":0`, 1),
			strings.Replace(s, `"kind":"scope_approved"`, `"kind":"named","name":"verified"`, 1),
			strings.Replace(s, `"kind":"fit_viable"`, `"kind":"any_of","rules":[{"kind":"named","name":"nope"},{}]`, 1),
			strings.Replace(s, `"stages":[`, `"stages":[{"id":"lost","name":"Lost","exit":[{"id":"x","description":"y","kind":"fit_viable"}]},`, 1),
			strings.Replace(s, `{"id":"targeting"`, `{"colour":"red","id":"targeting"`, 1),
			strings.Replace(s, `"healthy_days":14`, `"healthy_days":200000`, 1),
			strings.Replace(s, `"idle_alert_days":14`, `"idle_alert_days":36501`, 1),
			strings.Replace(s, `"days":14`, `"days":200000`, 1),
			strings.Replace(s, `"probability":0.05`, `"probability":0.3333333333333333333`, 1),
			strings.Replace(s, `"kind":"fit_viable"`, nestAnyOf(20)[1:len(nestAnyOf(20))-1], 1),
			s[:len(s)/2],
		} {
			f.Add([]byte(broken))
		}
	}
	for _, s := range []string{``, `null`, `[]`, `{}`, `{"stages":null}`, `{"stages":[null]}`, `{"stages":[{"exit":[null,1,"x"]}]}`, `{"\u00e9":1}`} {
		f.Add([]byte(s))
	}
}

// FuzzLoad reads arbitrary input as a definition. No input panics; every
// rejected input is reported with a path for every problem; an accepted one
// marshals to a definition that loads back and marshals to the same bytes,
// and draws and decides without panicking.
func FuzzLoad(f *testing.F) {
	loadSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := deal.Load(data, deal.LoadOptions{Rules: fuzzRules})
		if err != nil {
			if p != nil {
				t.Fatalf("Load returned a process and %v", err)
			}
			everyProblemHasAPath(t, err)
			return
		}
		b1, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal a loaded process: %v", err)
		}
		q, err := deal.Load(b1, deal.LoadOptions{Rules: fuzzRules})
		if err != nil {
			t.Fatalf("load %s: %v", b1, err)
		}
		b2, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("Marshal(Load(Marshal(p))) differs:\n%s\n%s", b1, b2)
		}
		_, _ = p.Mermaid(), p.DOT()
		d := deal.Deal{ID: "d", Owner: rep.ID}
		fill(&d, t0)
		if err := p.Open(&d, rep, t0); err != nil {
			t.Fatalf("open: %v", err)
		}
		_ = p.Moves(&d, t0)
		_ = p.Advance(&d, rep, t0)
	})
}

// FuzzLoadVariant reads arbitrary input as a variant of Unified, with the
// same promises as FuzzLoad for what it rejects.
func FuzzLoadVariant(f *testing.F) {
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"remove":["discovery"]}`, `{"remove":["targeting","targeting"]}`,
		`{"id":"smb","name":"SMB","remove":["solution_alignment","business_case"],"stages":[{"stage":"discovery","name":"Quick discovery","healthy_days":7,"remove_exit":["constraint_legal"]}]}`,
		`{"insert":[{"after":"business_case","before":"proposal","stage":{"id":"security_review","name":"Security review","exit":[{"id":"dpa","description":"Sign the DPA.","kind":"named","name":"verified"}]}}]}`,
		`{"insert":[{"after":"business_case","before":"handoff","stage":{"id":"x","name":"X"}}]}`,
		`{"stages":[{"stage":"proposal","add_exit":[{"id":"term","description":"d","kind":"fit_viable"}],"remove_entry":["nope"],"healthy_days":-1}]}`,
		`{"insert":[{"after":"handoff","before":"live","stage":{"id":"live","name":"L"}}],"colour":1}`,
		`{"remove":["discovery"],"colour":"red"}`,
		`{"remove":["business_case"],"insert":[{"after":"handoff","before":"live","stage":{"id":"business_case","name":"B","probability":0.9}}]}`,
		`{"stages":[{"stage":"proposal","healthy_days":200000}],"insert":[{"after":"handoff","before":"live","stage":{"id":"r","name":"R","follow_up_days":110000}}]}`,
	} {
		f.Add([]byte(s))
	}
	base := deal.Unified()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := deal.LoadVariant(base, data, deal.LoadOptions{Rules: fuzzRules})
		if err != nil {
			if p != nil {
				t.Fatalf("LoadVariant returned a process and %v", err)
			}
			everyProblemHasAPath(t, err)
			return
		}
		for _, s := range base.Stages() {
			if _, kept := p.Stage(s.ID); s.Core && !kept {
				t.Fatalf("core stage %s removed", s.ID)
			}
		}
		last := -1
		for _, s := range p.Stages() {
			if i := slices.IndexFunc(base.Stages(), func(b deal.Stage) bool { return b.ID == s.ID }); i >= 0 {
				if i <= last {
					t.Fatalf("stage %s is out of the base's order", s.ID)
				}
				last = i
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal a derived process: %v", err)
		}
		if _, err := deal.Load(b, deal.LoadOptions{Rules: fuzzRules}); err != nil {
			t.Fatalf("load a derived process back: %v", err)
		}
	})
}
