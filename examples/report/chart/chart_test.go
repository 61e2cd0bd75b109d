package chart

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/accordhq/accord"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(8800), "8,800"}, {Int(-1234567), "-1,234,567"},
		{Percent(0.63153), "63.2%"},
		{Money(accord.Money{Amount: decimal.RequireFromString("10005534"), Currency: "USD"}), "$10,005,534"},
		{Money(accord.Money{Amount: decimal.RequireFromString("1234.5"), Currency: "EUR"}), "€1,234.50"},
		{Money(accord.Money{Amount: decimal.RequireFromString("-1200"), Currency: "CHF"}), "-1,200 CHF"},
		{Money(accord.Money{}), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestNiceTicks checks that the ticks cover the range with round,
// evenly spaced values.
func TestNiceTicks(t *testing.T) {
	for _, tt := range []struct{ lo, hi float64 }{{0.47, 0.61}, {0, 1}, {0.5, 0.5}, {0, 37}, {3, 3}, {0.001, 0.0011}} {
		ticks := niceTicks(tt.lo, tt.hi, 5)
		if len(ticks) < 2 || len(ticks) > 12 || ticks[0] > tt.lo || ticks[len(ticks)-1] < tt.hi {
			t.Errorf("niceTicks(%g, %g) = %v: want 2 to 12 ticks covering the range", tt.lo, tt.hi, ticks)
			continue
		}
		step := ticks[1] - ticks[0]
		for i := 1; i < len(ticks); i++ {
			if math.Abs(ticks[i]-ticks[i-1]-step) > step*1e-6 {
				t.Errorf("niceTicks(%g, %g) = %v: uneven", tt.lo, tt.hi, ticks)
			}
		}
	}
}

// TestFigures checks that every chart is drawn at both widths, escapes
// its text, and cuts a long label with its whole text as a title.
func TestFigures(t *testing.T) {
	long := strings.Repeat("x", 80)
	figs := []Figure{
		Funnel("f", "F", "", []Step{{Label: "<b>", N: 3, Text: "3"}, {Label: long, N: 1, Text: "1"}}, Table{}),
		Dots("d", "D", "", []Dot{{Label: "a", Value: 0.5, OK: true, Text: "50%"}, {Label: "b", Text: "none"}}, nil, Percent, Table{}),
		Lines("l", "L", "", []string{"2025-01", "2025-02"}, []Series{{Name: "n", Values: []float64{1, math.NaN()}}}, Percent, Table{}),
		Boxes("b", "B", "", []Box{{Label: "won", Q: [5]float64{1, 2, 3, 4, 5}, OK: true}}, " d", Table{}),
	}
	for _, f := range figs {
		for _, h := range []string{string(f.Wide), string(f.Narrow)} {
			if !strings.HasPrefix(h, "<svg ") || strings.Contains(h, "<b>") {
				t.Errorf("%s: not an escaped SVG drawing:\n%s", f.ID, h)
			}
		}
		if !strings.Contains(string(f.Wide), `class="chart wide"`) || !strings.Contains(string(f.Narrow), `class="chart narrow"`) {
			t.Errorf("%s: the drawings lack their width classes", f.ID)
		}
	}
	if !strings.Contains(string(figs[0].Wide), "<title>"+long+"</title>") {
		t.Errorf("a cut label lacks its whole text as a title:\n%s", figs[0].Wide)
	}
}
