package csvmap

import (
	"math/rand/v2"
	"testing"
)

// plainDigitsByChar is plainDigits as one loop over the characters: the
// reference plainDigits must agree with.
func plainDigitsByChar(v string) (n int64, frac int, ok bool) {
	digits, dot := 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot && i > 0 && i < len(v)-1:
			dot = true
		default:
			return 0, 0, false
		}
		if digits > 18 {
			return 0, 0, false
		}
	}
	return n, frac, digits > 0
}

func TestPlainDigits(t *testing.T) {
	check := func(s string) {
		t.Helper()
		n, frac, ok := plainDigits(s)
		wn, wfrac, wok := plainDigitsByChar(s)
		if n != wn || frac != wfrac || ok != wok {
			t.Fatalf("plainDigits(%q) = %d, %d, %v; want %d, %d, %v", s, n, frac, ok, wn, wfrac, wok)
		}
		if bn, bfrac, bok := plainDigits([]byte(s)); bn != n || bfrac != frac || bok != ok {
			t.Fatalf("plainDigits([]byte(%q)) = %d, %d, %v; the string's %d, %d, %v", s, bn, bfrac, bok, n, frac, ok)
		}
	}
	for _, s := range []string{"", "0", ".", "1.", ".5", "1.5", "1..5", "1.5.", "12.5x", "x", "-1", "1 ",
		"999999999999999999", "9999999999999999999", "99999999999999999.9", "999999999999999999.9",
		"1200.50", "0.00", "00012", "1e5", "1,200"} {
		check(s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789012345678901234567890123456789..x-"
	for range 200_000 {
		b := make([]byte, r.IntN(22))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
}
