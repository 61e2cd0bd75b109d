package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/internal/demo"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
	"github.com/accordhq/accord/examples/server/web"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium through github.com/chromedp/chromedp
// against the service on loopback, and assert on what the pages show.
// Each flow saves screenshots to a temporary folder named in the log; with
// ACCORD_SCREENSHOTS=DIR the README's two are also written to DIR.

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// people are the demo picker's people in these tests.
var people = []app.Principal{
	{ID: "demo-rep", Name: "Asha Rao", Role: "sales_rep"},
	{ID: "demo-client", Name: "Dana Ruiz", Role: "client", Account: "acme"},
	{ID: "demo-lead", Name: "Chen Wei", Role: "implementation_lead"},
	{ID: "demo-finance", Name: "Femi Adeyemi", Role: "finance"},
}

// service is the reference service on loopback, seeded with three deals
// 25 days ago: Northwind in targeting, Acme in qualification and Globex in
// discovery (past its healthy time of 21 days).
type service struct {
	URL   string
	App   *app.App
	Token string // the rep's API token
}

func startService(t *testing.T) *service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var mu sync.Mutex
	now := t0.Add(-25 * 24 * time.Hour)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	a := app.New(app.Config{Store: db, Now: clock})
	rep := people[0]
	for _, d := range []struct {
		body     string
		advances int
	}{
		{`{"id":"demo-northwind","account_id":"northwind","account":"Northwind","segment":"mid-market","value":{"amount":"48000","currency":"USD"}}`, 0},
		{`{"id":"demo-acme","account_id":"acme","account":"Acme","segment":"mid-market","value":{"amount":"120000","currency":"USD"},
		   "targeting":{"trigger":"new VP of Sales","hypothesis":"forecasts live in spreadsheets"}}`, 1},
		{`{"id":"demo-globex","account_id":"globex","account":"Globex","segment":"enterprise","value":{"amount":"300000","currency":"EUR"},
		   "targeting":{"trigger":"CRM contract ends in June","hypothesis":"pipeline reviews take a day a week"},
		   "qualification":{"why_now":"board asked for a reliable forecast","fit":"strong"},
		   "stakeholders":[{"name":"Kim Park","title":"VP Sales","role":"champion","engaged":true},
		                   {"name":"Lee Chen","title":"CFO","role":"economic_buyer","engaged":true}]}`, 2},
	} {
		doc, err := a.CreateDeal(ctx, rep, []byte(d.body))
		if err != nil {
			t.Fatal(err)
		}
		for range d.advances {
			if doc, err = a.Advance(ctx, rep, doc.Value.ID, doc.Rev); err != nil {
				t.Fatal(err)
			}
		}
	}
	tok, _, err := a.CreateToken(ctx, app.TokenSpec{ActorID: rep.ID, Name: rep.Name, Role: rep.Role})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = t0
	mu.Unlock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := httpapi.New(a, log)
	h.Mount(web.New(web.Config{App: a, Log: log, Demo: people, Seen: httpapi.Seen}), web.Patterns()...)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &service{URL: srv.URL, App: a, Token: tok}
}

// browser starts headless chromium for the test, or skips it (fails it
// under CI=true) when chromium is not installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		msg := "browser tests need Chromium on the PATH: install the Debian package chromium (apt-get install chromium)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// The first Run starts the browser; it must not carry a timeout, which
	// would stop the browser when it fires.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return bctx
}

// flow is one user's tab, in its own browser context (its own cookies),
// bounded in time, saving screenshots to dir.
type flow struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func newFlow(t *testing.T, bctx context.Context, dir string) *flow {
	t.Helper()
	fctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(fctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(fctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return &flow{t: t, ctx: ctx, dir: dir}
}

// open navigates to url and returns the status of the page it lands on.
func (f *flow) open(url string) int64 {
	f.t.Helper()
	resp, err := chromedp.RunResponse(f.ctx, chromedp.Navigate(url))
	if err != nil {
		f.t.Fatalf("opening %s: %v", url, err)
	}
	return resp.Status
}

// submit clicks a button that sends a form and returns the status of the
// page that answers.
func (f *flow) submit(sel string, steps ...chromedp.Action[chromedp.Void]) int64 {
	f.t.Helper()
	if err := chromedp.Do(f.ctx, steps...); err != nil {
		f.t.Fatalf("before pressing %s: %v", sel, err)
	}
	resp, err := chromedp.RunResponse(f.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		f.t.Fatalf("pressing %s: %v", sel, err)
	}
	return resp.Status
}

// text is the text of the first element sel matches, its spaces collapsed.
func (f *flow) text(sel string) string {
	f.t.Helper()
	s, err := chromedp.Run(f.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(document.querySelector(%q) || {textContent: "(no %s)"}).textContent`, sel, sel)))
	if err != nil {
		f.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// texts are the texts of every element sel matches.
func (f *flow) texts(sel string) []string {
	f.t.Helper()
	ss, err := chromedp.Run(f.ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(e => e.textContent)`, sel)))
	if err != nil {
		f.t.Fatalf("texts of %s: %v", sel, err)
	}
	for i, s := range ss {
		ss[i] = strings.Join(strings.Fields(s), " ")
	}
	return ss
}

func (f *flow) want(what, got, want string) {
	f.t.Helper()
	if got != want {
		f.t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func (f *flow) wantStatus(what string, got, want int64) {
	f.t.Helper()
	if got != want {
		f.t.Fatalf("%s: status %d, want %d", what, got, want)
	}
}

// shot saves a screenshot of the viewport as name.png, and also to
// ACCORD_SCREENSHOTS when readme is true.
func (f *flow) shot(name string, readme bool) {
	f.t.Helper()
	png, err := chromedp.Run(f.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		f.t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{f.dir}
	if d := os.Getenv("ACCORD_SCREENSHOTS"); d != "" && readme {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *flow) signInAs(base string, who int) {
	f.t.Helper()
	f.wantStatus("the sign-in page", f.open(base+"/signin"), 200)
	f.wantStatus("signing in as a demo person", f.submit(fmt.Sprintf("#demo-%d", who)), 200)
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser tests are not short")
	}
	bctx := browser(t)
	dir, err := os.MkdirTemp("", "accord-web-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)

	t.Run("flow 1: a rep advances a deal in discovery once its criteria are met", func(t *testing.T) {
		s := startService(t)
		f := newFlow(t, bctx, dir)
		f.wantStatus("the board without a session sends to sign-in", f.open(s.URL+"/"), 200)
		f.want("page without a session", f.text("h1"), "Sign in")
		f.wantStatus("signing in with a token", f.submit("button[type=submit]", chromedp.SetValue(chromedp.CSS("#token"), s.Token)), 200)
		f.want("signed in as", f.text("#who"), "Asha Rao · Sales rep")
		f.want("Globex on the board", f.text("#stage-discovery #card-demo-globex"),
			"Globex 300000 EUR 25 d in stage / 21 healthy No next step Stalled 12 unmet exit criteria No next step demo-rep · Enterprise")
		f.shot("board", true)

		f.wantStatus("opening Globex", f.submit("#card-demo-globex a"), 200)
		f.want("stage", f.text("#deal-stage"), "Discovery")
		f.wantStatus("advancing with criteria unmet", f.submit("#advance"), 422)
		f.want("refusal", f.text("#refusal-title"), "Cannot advance to Solution alignment")
		want := []string{
			"Write the problem statement in the buyer's words.",
			"Record the outcome the buyer wants.",
			"Document the success criteria the buyer will judge the solution by.",
			"Record the security constraints.",
			"Record the timeline constraints.",
			"Record the integrations the solution must work with.",
			"Record the legal constraints.",
			"Record the buyer's current stack.",
			`Record the blockers (write "none" if there are none).`,
			"Gather the requirements implementation will need.",
			"Gather requirements of every mandatory kind: current state, future state, workflows, integrations, data structures and edge cases.",
			"Document the success criteria before aligning a solution to them.",
		}
		f.want("unmet criteria", strings.Join(f.texts("#refusal-list li"), "\n"), strings.Join(want, "\n"))
		f.want("the message beside the field", f.text("#f-discovery-problem-unmet"), "Write the problem statement in the buyer's words.")
		f.shot("refusal", true)

		set := func(id, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(chromedp.CSS("#"+id), v) }
		f.wantStatus("saving discovery", f.submit("#save-discovery",
			set("f-discovery-problem", "Pipeline reviews take a day a week"),
			set("f-discovery-desired_outcome", "A forecast the board trusts"),
			set("f-discovery-success_criteria", "Forecast within 5%\nReview in one hour"),
			set("f-discovery-constraints-security", "SSO required"),
			set("f-discovery-constraints-timeline", "Live by June"),
			set("f-discovery-constraints-integrations", "Salesforce"),
			set("f-discovery-constraints-legal", "EU data residency"),
			set("f-discovery-current_stack", "Spreadsheets"),
			set("f-discovery-blockers", "none"),
		), 200)
		f.want("unmet after saving discovery", strings.Join(f.texts("#gaps li"), "\n"), strings.Join(want[9:11], "\n"))
		for _, r := range [][2]string{{"current_state", "Forecasts in spreadsheets"}, {"future_state", "One forecast in accord"},
			{"workflow", "Weekly pipeline review"}, {"integration", "Salesforce sync"},
			{"data_structure", "Deals and stages"}, {"edge_case", "Deals in two currencies"}} {
			f.wantStatus("adding a requirement", f.submit("#add-requirement", set("rq-kind", r[0]), set("rq-title", r[1])), 200)
		}
		f.want("criteria once filled", f.text("#gaps-none"), "Every exit criterion of Discovery is met.")
		f.wantStatus("advancing", f.submit("#advance"), 200)
		f.want("stage after advancing", f.text("#deal-stage"), "Solution alignment")
		f.want("latest history", f.text("#history li"), "2 Mar 2026 09:00 UTC Advance from Discovery to Solution alignment by Asha Rao")
		f.shot("advanced", false)
	})

	t.Run("flow 2: a Scope of Work through review to payment", func(t *testing.T) {
		scopeFlow(t, bctx, dir)
	})

	t.Run("flow 3: a client sees only its own account's deals", func(t *testing.T) {
		s := startService(t)
		f := newFlow(t, bctx, dir)
		f.signInAs(s.URL, 1)
		f.want("signed in as", f.text("#who"), "Dana Ruiz · Client · acme")
		f.want("deals listed", f.text("#deal-count"), "1 deal")
		f.want("cards on the board", strings.Join(f.texts(".deal-card .account"), ","), "Acme")
		f.shot("client-board", false)
		f.wantStatus("another account's deal", f.open(s.URL+"/deals/demo-globex"), 404)
		f.want("another account's deal", f.text("#problem-title"), "Not found")
		f.shot("client-404", false)
		f.wantStatus("its own deal", f.open(s.URL+"/deals/demo-acme"), 200)
		f.want("its own deal", f.text("#deal-title"), "Acme")
		f.want("no moves for a client", f.text("#advance"), "(no #advance)")

		// At 390 px wide the pages fit the screen: nothing scrolls sideways.
		if err := chromedp.Do(f.ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/", "/deals/demo-acme"} {
			f.wantStatus(path+" at 390 px", f.open(s.URL+path), 200)
			w, err := chromedp.Run(f.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil || w > 390 {
				t.Errorf("%s at 390 px is %d px wide (%v), want at most 390", path, w, err)
			}
			f.shot("client-390"+strings.ReplaceAll(path, "/", "-"), false)
		}
	})

	t.Run("flow 5: renewals due, a customer page and the report in the demo data", func(t *testing.T) {
		customerFlow(t, bctx, dir)
	})

	t.Run("flow 6: finance takes a customer from onboarding through churn to refund", func(t *testing.T) {
		lifecycleFlow(t, bctx, dir)
	})

	t.Run("flow 7: a manager renews a contract from the renewals due", func(t *testing.T) {
		renewFlow(t, bctx, dir)
	})

	t.Run("flow 4: a form without the session's token, or from another site, changes nothing", func(t *testing.T) {
		s := startService(t)
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<!doctype html><form method="post" action="%s/deals/demo-globex/advance">
				<input type="hidden" name="rev" value="3"><button id="prize">Claim your prize</button></form>`, s.URL)
		}))
		defer evil.Close()
		f := newFlow(t, bctx, dir)
		f.signInAs(s.URL, 0)
		f.wantStatus("opening Globex", f.open(s.URL+"/deals/demo-globex"), 200)
		f.wantStatus("advancing without the form token", f.submit("#advance",
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())`)), 403)
		f.want("refused without the token", f.text("#problem-title"), "This form has expired")
		f.want("refused without the token", f.text("#problem-detail"),
			"The form was sent without this session's security token, so nothing was changed. Reload the page and try again.")
		f.shot("csrf-refused", false)
		f.wantStatus("a page of another site", f.open(evil.URL), 200)
		f.wantStatus("its form posted to the service", f.submit("#prize"), 403)
		f.want("refused from another site", f.text("#problem-title"), "This form came from another site")
		f.wantStatus("Globex again", f.open(s.URL+"/deals/demo-globex"), 200)
		f.want("stage unchanged", f.text("#deal-stage"), "Discovery")
		f.want("latest history unchanged", f.text("#history li strong"), "Advance")
		if n := len(f.texts("#history li")); n != 3 {
			t.Errorf("history has %d events, want 3 (open and two advances)", n)
		}
	})
}

// startDemo is the reference service on loopback with the data of
// accordd -demo (package demo), seeded and served at t0, and the demo
// people on the sign-in page.
func startDemo(t *testing.T) *service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := app.New(app.Config{Store: db, Now: func() time.Time { return t0 }})
	if err := demo.Seed(ctx, a, t0); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := httpapi.New(a, log)
	h.Mount(web.New(web.Config{App: a, Log: log, Demo: demo.People(), Seen: httpapi.Seen}), web.Patterns()...)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &service{URL: srv.URL, App: a}
}

// customerFlow: a manager opens the renewals due in the demo data, follows
// Initech to its customer page and reads its renewal; the report shows its
// charts, each with its table; at 390 px nothing scrolls sideways; and the
// client of another account cannot open Initech's customer page.
func customerFlow(t *testing.T, bctx context.Context, dir string) {
	s := startDemo(t)
	f := newFlow(t, bctx, dir)
	f.signInAs(s.URL, demoManager)
	f.want("signed in as", f.text("#who"), "Ben Okafor · Sales manager")
	f.want("navigation", strings.Join(f.texts("header nav a"), ","), "Board,Renewals,Report")
	f.want("the board links Initech's customer page", f.text("#card-demo-initech .customer-link"), "Customer page")

	f.wantStatus("renewals due", f.submit("#nav-renewals"), 200)
	f.want("renewals caption", f.text("#renewals caption"), "1 contract due")
	f.want("Initech's row", strings.Join(f.texts("#due-demo-initech-contract > *"), " | "),
		"Initech | Thu 30 Apr 2026 | 59 | Tue 31 Mar 2026 (in 29 days) | Fri 1 May 2026, renews by itself | demo-rep | $36,000 | New term, months Value, USD Renew")
	f.shot("renewals", false)

	f.wantStatus("Initech's customer page", f.submit("#due-demo-initech-contract a"), 200)
	f.want("customer", f.text("#customer-title"), "Initech")
	f.want("renewal date", f.text("#renewal-date"), "Fri 1 May 2026")
	f.want("notice deadline", f.text("#notice-deadline"), "Tue 31 Mar 2026 (in 29 days; 30 days' notice)")
	f.want("status and conditions", f.text("#customer-status")+" | "+strings.Join(f.texts(".condition"), ","), "Onboarding | In renewal window")
	f.want("refund terms", f.text("#refund-terms"),
		"A refund is granted on the day it is asked for, with no waiting period and no penalty, and no reason is needed. It pays back everything paid: nothing today, as nothing has been paid.")
	f.want("entitlement use", strings.Join(f.texts("#entitlements tbody tr > *"), " | "),
		"Support | 2 hours a week | 88 hours (44 periods) | 0 hours | None")
	f.shot("customer", false)

	f.wantStatus("the report", f.open(s.URL+"/report"), 200)
	figs := f.texts("figure.report-figure > figcaption strong")
	f.want("report charts", strings.Join(figs, ","), "Funnel.,Sales cycle.,Win rate by segment.,Deals by month.,Churn rate by contract type.")
	if n := len(f.texts("figure.report-figure svg.chart.wide")); n != 5 {
		t.Errorf("report: %d wide charts, want 5", n)
	}
	f.want("report tables", strings.Join(f.texts("table.data caption"), ","), "Funnel,Sales cycle,Win rate by segment,Deals by month,Renewals by contract type")
	f.want("funnel table, first row", strings.Join(f.texts("#table-funnel tbody tr:first-child > *"), " | "), "Targeting | 1 | 4 | 75.0% (3/4) | 0.0")
	f.shot("report", false)

	// At 390 px wide, the device metrics emulated, the pages fit the screen.
	if err := chromedp.Do(f.ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/renewals", "/contracts/demo-initech-contract", "/report"} {
		f.wantStatus(path+" at 390 px", f.open(s.URL+path), 200)
		w, err := chromedp.Run(f.ctx, chromedp.Evaluate[[]int](`[window.innerWidth, document.documentElement.scrollWidth]`))
		if err != nil || len(w) != 2 || w[0] != 390 || w[1] > 390 {
			wide, _ := chromedp.Run(f.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + "#" + e.id + "." + e.className)`))
			t.Errorf("%s at 390 px: viewport and page widths %v (%v), want 390 and at most 390; too wide: %v", path, w, err, wide)
		}
		f.shot("390"+strings.ReplaceAll(path, "/", "-"), false)
	}

	c := newFlow(t, bctx, dir)
	c.signInAs(s.URL, 3)
	c.want("client navigation", strings.Join(c.texts("header nav a"), ","), "Board")
	c.wantStatus("another account's customer page", c.open(s.URL+"/contracts/demo-initech-contract"), 404)
	c.wantStatus("the renewals of every account", c.open(s.URL+"/renewals"), 403)
	c.wantStatus("the report", c.open(s.URL+"/report"), 403)
}
