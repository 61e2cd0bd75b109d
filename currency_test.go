package accord_test

import (
	"testing"

	"github.com/accordhq/accord"
)

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		c     accord.Currency
		units int32
		ok    bool
	}{
		{"USD", 2, true},
		{"EUR", 2, true},
		{"GBP", 2, true},
		{"INR", 2, true},
		{"JPY", 0, true},
		{"KRW", 0, true},
		{"CLP", 0, true},
		{"KWD", 3, true},
		{"BHD", 3, true},
		{"OMR", 3, true},
		{"TND", 3, true},
		{"CLF", 4, true},
		{"UYW", 4, true},
		// Not active ISO 4217 codes with a minor unit.
		{"XYZ", 0, false},
		{"XAU", 0, false}, // gold: no minor unit
		{"XXX", 0, false}, // no currency
		{"XTS", 0, false}, // testing code
		{"usd", 0, false},
		{"Usd", 0, false},
		{"", 0, false},
		{"US", 0, false},
		{"USDX", 0, false},
		{" USD", 0, false},
		{"USD ", 0, false},
		{"US[", 0, false}, // the byte after Z
		{"_SD", 0, false},
		{"U\x00D", 0, false},
	}
	for _, tt := range tests {
		units, ok := tt.c.MinorUnits()
		if units != tt.units || ok != tt.ok {
			t.Errorf("Currency(%q).MinorUnits(): got %d, %t, want %d, %t", tt.c, units, ok, tt.units, tt.ok)
		}
		if got := tt.c.Valid(); got != tt.ok {
			t.Errorf("Currency(%q).Valid(): got %t, want %t", tt.c, got, tt.ok)
		}
	}
}
