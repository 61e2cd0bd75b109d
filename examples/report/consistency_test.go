package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConsistencySample asserts the process consistency of the built-in
// sample, one row per deal, and of the same deals as a stage-change log:
// the exact shares overall, by owner and by segment, the flags with what
// drags them down, the figures an export cannot measure and the maturity
// effect.
func TestConsistencySample(t *testing.T) {
	type rate struct{ Num, Den int64 }
	type flag struct {
		Group, Key, Figure string
		Rate               rate
		Drag               map[string]int64
	}
	type got struct {
		Overall    map[string]any
		ByOwner    map[string]map[string]any
		BySegment  map[string]map[string]any
		Flags      []flag
		Unmeasured []string
		Maturity   map[string]any
		Note       bool
	}
	read := func(t *testing.T, args ...string) got {
		t.Helper()
		code, out, errs := runCmd(append([]string{"-format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var r struct {
			Consistency struct {
				Target    int64
				Overall   map[string]any
				ByOwner   []map[string]any `json:"by_owner"`
				BySegment []map[string]any `json:"by_segment"`
				Flags     []struct {
					Group, Key, Figure string
					Rate               rate
					Drag               []struct {
						Reason string
						Count  int64
					}
				}
				Unmeasured []struct{ Figure string }
				Maturity   []struct {
					Criterion string
					Met       *bool
				}
				Note string
			}
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		c := r.Consistency
		if c.Target != 90 {
			t.Errorf("target %d, want 90", c.Target)
		}
		g := got{Overall: c.Overall, ByOwner: map[string]map[string]any{}, BySegment: map[string]map[string]any{}, Maturity: map[string]any{}, Note: c.Note != ""}
		for _, x := range c.ByOwner {
			g.ByOwner[x["key"].(string)] = x
			delete(x, "key")
		}
		for _, x := range c.BySegment {
			g.BySegment[x["key"].(string)] = x
			delete(x, "key")
		}
		for _, f := range c.Flags {
			fl := flag{Group: f.Group, Key: f.Key, Figure: f.Figure, Rate: f.Rate, Drag: map[string]int64{}}
			for _, d := range f.Drag {
				fl.Drag[d.Reason] = d.Count
			}
			g.Flags = append(g.Flags, fl)
		}
		for _, u := range c.Unmeasured {
			g.Unmeasured = append(g.Unmeasured, u.Figure)
		}
		for _, m := range c.Maturity {
			if m.Met == nil {
				g.Maturity[m.Criterion] = nil
			} else {
				g.Maturity[m.Criterion] = *m.Met
			}
		}
		return g
	}
	figs := func(deals, share float64) map[string]any {
		return map[string]any{"deals": deals, "through_process": share, "criteria_held": nil, "required_fields": nil, "activity_logged": nil}
	}
	drag := func(to, kind int64) map[string]int64 {
		m := map[string]int64{}
		if to > 0 {
			m["history[].to"] = to
		}
		if kind > 0 {
			m["history[].kind"] = kind
		}
		return m
	}
	tp := "through_process"
	unmeasured := []string{"criteria_held", "required_fields", "activity_logged"}

	t.Run("one row per deal", func(t *testing.T) {
		want := got{
			Overall: figs(295, 0.3661),
			ByOwner: map[string]map[string]any{
				"Ana Ruiz": figs(66, 0.4242), "Ben Okafor": figs(46, 0.2826), "Chen Wei": figs(56, 0.3929),
				"Dana Levi": figs(69, 0.3623), "Eli Novak": figs(58, 0.3448),
			},
			BySegment: map[string]map[string]any{
				"(unmatched)": figs(1, 0), "Finance": figs(69, 0.3623), "Healthcare": figs(25, 0.36),
				"Manufacturing": figs(97, 0.4021), "Retail": figs(22, 0.4091), "Software": figs(81, 0.321),
			},
			Flags: []flag{
				{"overall", "", tp, rate{108, 295}, drag(117, 70)},
				{"owner", "Ana Ruiz", tp, rate{28, 66}, drag(21, 17)},
				{"owner", "Ben Okafor", tp, rate{13, 46}, drag(17, 16)},
				{"owner", "Chen Wei", tp, rate{22, 56}, drag(25, 9)},
				{"owner", "Dana Levi", tp, rate{25, 69}, drag(25, 19)},
				{"owner", "Eli Novak", tp, rate{20, 58}, drag(29, 9)},
				{"segment", "(unmatched)", tp, rate{0, 1}, drag(1, 0)},
				{"segment", "Finance", tp, rate{25, 69}, drag(30, 14)},
				{"segment", "Healthcare", tp, rate{9, 25}, drag(7, 9)},
				{"segment", "Manufacturing", tp, rate{39, 97}, drag(34, 24)},
				{"segment", "Retail", tp, rate{9, 22}, drag(11, 2)},
				{"segment", "Software", tp, rate{26, 81}, drag(34, 21)},
			},
			Unmeasured: unmeasured,
			Maturity:   map[string]any{"defined_process": false, "required_fields_80": nil, "required_fields_95": nil},
			Note:       true,
		}
		if diff := cmp.Diff(want, read(t)); diff != "" {
			t.Errorf("consistency (-want +got):\n%s", diff)
		}
	})
	t.Run("stage-change log", func(t *testing.T) {
		want := got{
			Overall: figs(301, 1),
			ByOwner: map[string]map[string]any{"(none)": figs(301, 1)},
			BySegment: map[string]map[string]any{
				"(unmatched)": figs(1, 1), "Finance": figs(70, 1), "Healthcare": figs(25, 1),
				"Manufacturing": figs(101, 1), "Retail": figs(22, 1), "Software": figs(82, 1),
			},
			Unmeasured: unmeasured,
			Maturity:   map[string]any{"defined_process": true, "required_fields_80": nil, "required_fields_95": nil},
		}
		if diff := cmp.Diff(want, read(t, eventArgs...)); diff != "" {
			t.Errorf("consistency (-want +got):\n%s", diff)
		}
	})
}

// TestConsistencyHTML checks that the page has the process consistency
// section with its figures and flags as tables.
func TestConsistencyHTML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if code, _, errs := runCmd("-html", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	i := strings.Index(page, "<h2>Process consistency</h2>")
	if i < 0 {
		t.Fatal("the page has no process consistency section")
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	if n := strings.Count(sec, "<table>"); n != 2 {
		t.Errorf("%d tables in the section, want 2 (figures, flags)", n)
	}
	for _, want := range []string{
		"<caption>Process consistency</caption>",
		`<td>overall</td><td class="n">295</td><td class="n">36.61% (108/295) !</td><td class="n">n/a</td>`,
		`<td>owner: Ben Okafor</td><td class="n">46</td><td class="n">28.26% (13/46) !</td>`,
		`<td>segment: Software</td><td class="n">81</td><td class="n">32.10% (26/81) !</td>`,
		"skipped a stage (history[].to) ×117",
		"Not measured: criteria held",
		"Not measured: activity logged",
		"not met",
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
}
