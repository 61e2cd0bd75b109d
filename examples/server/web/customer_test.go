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

// TestCustomerRefusal: a status change the contract refuses answers 422
// with every unmet criterion on the customer page, and changes nothing;
// the go-live then makes the customer active. No browser needed.
func TestCustomerRefusal(t *testing.T) {
	s := startDemo(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		resp, err := c.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := c.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post("/signin", url.Values{"as": {"1"}, "next": {"/"}}); code != 200 {
		t.Fatalf("signing in: %d", code)
	}
	const page = "/contracts/demo-initech-contract"
	code, body := get(page)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	rev := regexp.MustCompile(`name="rev" value="(\d+)"`).FindStringSubmatch(body)
	if code != 200 || csrf == nil || rev == nil {
		t.Fatalf("customer page: %d, csrf %v, rev %v", code, csrf, rev)
	}
	code, body = post(page+"/move", url.Values{"csrf": {csrf[1]}, "rev": {rev[1]}, "to": {"active"}, "reason": {"kick-off done"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="refusal-list"`) ||
		!strings.Contains(body, "Record the go-live: a customer is active once it is live.") {
		t.Errorf("moving to active before the go-live: %d, want 422 with the unmet criterion:\n%s", code, body)
	}
	if code, body = post(page+"/go-live", url.Values{"csrf": {csrf[1]}, "rev": {rev[1]}}); code != 200 || !strings.Contains(body, `id="customer-status">Active<`) {
		t.Errorf("go-live: %d, want the page with the status Active", code)
	}
}
