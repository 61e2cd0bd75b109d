package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// visitor is one person signed in to the pages, without a browser: a
// cookie jar that follows redirects as a browser does.
type visitor struct {
	t    *testing.T
	base string
	c    *http.Client
}

// signIn signs in as the demo picker's person who.
func signIn(t *testing.T, s *service, who string) *visitor {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	v := &visitor{t: t, base: s.URL, c: &http.Client{Jar: jar}}
	if code, _ := v.post("/signin", url.Values{"as": {who}, "next": {"/"}}); code != 200 {
		t.Fatalf("signing in as %s: %d", who, code)
	}
	return v
}

func (v *visitor) get(path string) (int, string) {
	v.t.Helper()
	resp, err := v.c.Get(v.base + path)
	if err != nil {
		v.t.Fatal(err)
	}
	return read(v.t, resp)
}

func (v *visitor) post(path string, form url.Values) (int, string) {
	v.t.Helper()
	resp, err := v.c.PostForm(v.base+path, form)
	if err != nil {
		v.t.Fatal(err)
	}
	return read(v.t, resp)
}

func read(t *testing.T, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

var (
	csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	revInput  = regexp.MustCompile(`name="rev" value="(\d+)"`)
)

// form reads the page at path and returns the hidden inputs its forms
// share: the session's form token and the revision shown.
func (v *visitor) form(path string) url.Values {
	v.t.Helper()
	code, body := v.get(path)
	csrf, rev := csrfInput.FindStringSubmatch(body), revInput.FindStringSubmatch(body)
	if code != 200 || csrf == nil || rev == nil {
		v.t.Fatalf("%s: %d, csrf %v, rev %v", path, code, csrf, rev)
	}
	return url.Values{"csrf": {csrf[1]}, "rev": {rev[1]}}
}

// with is form with the fields of kv (name, value, name, value...) set.
func with(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range form {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// has reports the first of wants that body lacks, or "".
func has(body string, wants ...string) string {
	for _, w := range wants {
		if !strings.Contains(body, w) {
			return w
		}
	}
	return ""
}

const initech = "/contracts/demo-initech-contract"

// TestCustomerRefusal: a status change the contract refuses answers 422
// with every unmet criterion on the customer page, and changes nothing;
// the go-live then makes the customer active. No browser needed.
func TestCustomerRefusal(t *testing.T) {
	v := signIn(t, startDemo(t), "1")
	form := v.form(initech)
	code, body := v.post(initech+"/move", with(form, "to", "active", "reason", "kick-off done"))
	if miss := has(body, `id="refusal-title">Cannot change the status<`, `id="refusal-list"`,
		"Record the go-live: a customer is active once it is live."); code != http.StatusUnprocessableEntity || miss != "" {
		t.Errorf("moving to active before the go-live: %d, want 422 with %q:\n%s", code, miss, body)
	}
	if code, body = v.post(initech+"/go-live", form); code != 200 || !strings.Contains(body, `id="customer-status">Active<`) {
		t.Errorf("go-live: %d, want the page with the status Active", code)
	}
}

// TestRenewByRole: the renew form of the renewals page and the customer
// page, posted by each demo person, as the library allows it: sales roles
// and admins renew, the rest of the vendor's side is refused with 403 on
// the customer page, a client of another account finds nothing.
func TestRenewByRole(t *testing.T) {
	const renewed = "Renewed on 2 Mar 2026 by %s: Fri 1 May 2026 to Fri 30 Apr 2027 (12 months), $40,000; the term before, $36,000"
	for _, tc := range []struct {
		who, name string
		code      int
		form      bool // the renewals page and the customer page offer the form
		want      string
	}{
		{"0", "Asha Rao", 200, true, strings.Replace(renewed, "%s", "Asha Rao", 1)},
		{"1", "Ben Okafor", 200, true, strings.Replace(renewed, "%s", "Ben Okafor", 1)},
		{"2", "Chen Wei", 403, false, `id="notice">accord: forbidden: contract &#34;demo-initech-contract&#34;: role implementation_lead may not record a renewal</p>`},
		{"3", "Dana Ruiz", 404, false, `id="problem-title">Not found<`},
		{"4", "Femi Adeyemi", 403, false, `id="notice">accord: forbidden: contract &#34;demo-initech-contract&#34;: role finance may not record a renewal</p>`},
		{"5", "Grace Admin", 200, true, strings.Replace(renewed, "%s", "Grace Admin", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := signIn(t, startDemo(t), tc.who)
			const button = `id="renew-demo-initech-contract"`
			if _, body := v.get("/renewals"); strings.Contains(body, button) != tc.form {
				t.Errorf("renewals page offers the renew form: %v, want %v", !tc.form, tc.form)
			}
			// Every vendor role sees a form with the revision on the
			// customer page; a client of another account gets a 404.
			form := url.Values{"rev": {"1"}}
			_, body := v.get(initech)
			if tc.code != 404 {
				form = v.form(initech)
				if strings.Contains(body, button) != tc.form {
					t.Errorf("customer page offers the renew form: %v, want %v", !tc.form, tc.form)
				}
			} else if c := csrfInput.FindStringSubmatch(body); c != nil {
				form.Set("csrf", c[1])
			}
			code, body := v.post(initech+"/renew", with(form, "months", "12", "amount", "40000", "currency", "USD"))
			if code != tc.code || !strings.Contains(body, tc.want) {
				t.Errorf("renewing: %d, want %d with %q:\n%s", code, tc.code, tc.want, body)
			}
		})
	}
}

// TestRenewRefused: a renewal without the session's form token changes
// nothing (403); fields the library finds invalid are each listed (400);
// a renewal before the new term's window opens lists the unmet criterion
// (422); the form is gone once the contract renewed.
func TestRenewRefused(t *testing.T) {
	v := signIn(t, startDemo(t), "1")
	form := v.form(initech)
	renew := func(kv ...string) (int, string) {
		t.Helper()
		return v.post(initech+"/renew", with(form, kv...))
	}
	for _, tc := range []struct {
		name   string
		fields []string
		code   int
		want   []string
	}{
		{"without the form token", []string{"csrf", "", "months", "12", "amount", "36000", "currency", "USD"}, 403,
			[]string{`id="problem-title">This form has expired<`}},
		{"months not a number", []string{"months", "twelve", "amount", "36000", "currency", "USD"}, 400,
			[]string{`id="problems"`, "<li>Months must be a whole number of months, such as 12</li>"}},
		{"every invalid field", []string{"months", "0", "amount", "-5", "currency", "USD"}, 400,
			[]string{"<li>Months must be between 1 and 1200; got 0</li>", "<li>Value must not be negative</li>"}},
		{"another currency", []string{"months", "12", "amount", "36000", "currency", "EUR"}, 400,
			[]string{"<li>Value.currency must be the contract&#39;s currency, USD; got EUR</li>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := renew(tc.fields...)
			if miss := has(body, tc.want...); code != tc.code || miss != "" {
				t.Errorf("got %d, want %d with %q:\n%s", code, tc.code, miss, body)
			}
			if _, body := v.get(initech); !strings.Contains(body, `id="term">Thu 1 May 2025 to Thu 30 Apr 2026 (12 months)<`) {
				t.Errorf("the term changed on a refused renewal:\n%s", body)
			}
		})
	}

	if code, body := renew("months", "12", "amount", "36000", "currency", "USD"); code != 200 || strings.Contains(body, `id="renew-demo-initech-contract"`) {
		t.Fatalf("renewing: %d, want 200 and no renew form until the next window:\n%s", code, body)
	}
	form = v.form(initech)
	code, body := renew("months", "12", "amount", "36000", "currency", "USD")
	if miss := has(body, `id="refusal-title">Cannot renew<`,
		`<li data-criterion="renewal_window">Wait for the renewal window, which opens on 2027-01-30; today is 2026-03-02.</li>`); code != http.StatusUnprocessableEntity || miss != "" {
		t.Errorf("renewing again: %d, want 422 with %q:\n%s", code, miss, body)
	}
}
