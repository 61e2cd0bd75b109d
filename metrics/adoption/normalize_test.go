package adoption

import "testing"

func TestE164(t *testing.T) {
	for _, c := range []struct {
		raw, cc, want string
	}{
		{"+1 (415) 555-0100", "", "+14155550100"},
		{"(415) 555-0100", "1", "+14155550100"},
		{"1-415-555-0100", "1", "+14155550100"},
		{"011 44 20 7946 0018", "1", "+442079460018"},
		{"00 44 20 7946 0018", "33", "+442079460018"},
		{"020 7946 0018", "44", "+442079460018"},
		// Italian numbers keep their leading 0 in E.164.
		{"06 1234 5678", "39", "+390612345678"},
		{"+39 06 1234 5678", "", "+390612345678"},
		{"+44 (0)20 7946 0018", "", "+442079460018"},
		{"415.555.0100 x12", "1", "+14155550100"},
		{"415 555 0100 ext. 12", "1", "+14155550100"},
		{"415-555-0100#3", "1", "+14155550100"},
		{"(415) 555-0100", "", ""},
		{"555", "1", ""},
		{"+1 415 CALL NOW", "", ""},
		{"+1234567890123456", "", ""},
		{"", "1", ""},
	} {
		got, ok := e164(c.raw, c.cc)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("e164(%q, %q) = %q, %v; want %q", c.raw, c.cc, got, ok, c.want)
		}
	}
}

func TestNormalName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ACME, Inc.", "acme"},
		{"Acme Incorporated", "acme"},
		{"The Acme Co.", "acme"},
		{"Acme L.L.C.", "acme"},
		{"Smith & Sons Ltd", "smith and sons"},
		{"O'Brien GmbH", "obrien"},
		{"Müller AG", "müller"},
		{"Wells Fargo & Co.", "wells fargo"},
		{"Co", "co"},
		{"  ", ""},
	} {
		if got := normalName(c.in); got != c.want {
			t.Errorf("normalName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{" Ops@Acme.COM ", "ops@acme.com"}, {"ops", ""}, {"@acme.com", ""}, {"ops@", ""}, {"a b@c.d", ""},
	} {
		if got := normalEmail(c.in); got != c.want {
			t.Errorf("normalEmail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
