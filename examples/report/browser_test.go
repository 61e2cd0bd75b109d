package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var screenshots = flag.String("screenshots", "", "write the browser test's screenshots of the report page to this `directory`")

// probe is added to a copy of the page, never to the page the command
// writes (which has no script): once the page is laid out, it measures
// every element and writes what it found as attributes of <body>, which
// chromium's --dump-dom then prints. It reports
//
//   - data-viewport: the width of the layout viewport;
//   - data-overflow: every element that reaches past the viewport's left or
//     right edge, the document's own scroll width if it is wider than the
//     viewport, and every mark or text of a chart that reaches past its
//     drawing; content inside a .scroll box (the wide tables, which scroll
//     sideways within the page) is exempt, but the box itself is not;
//   - data-charts: for each chart drawing shown (not display:none), its
//     figure, its class (wide or narrow) and its width in pixels.
const probe = `<script>
(function () {
  var vw = document.documentElement.clientWidth, bad = [];
  function name(e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('class') ? '.' + e.getAttribute('class').replace(/ /g, '.') : ''); }
  if (document.documentElement.scrollWidth > vw) bad.push('document ' + document.documentElement.scrollWidth + 'px');
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    var box = e.parentElement && e.parentElement.closest('.scroll');
    if (box) return;
    if (r.left < -0.5 || r.right > vw + 0.5) bad.push(name(e) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  });
  var shown = [];
  document.querySelectorAll('svg.chart').forEach(function (s) {
    var sr = s.getBoundingClientRect();
    if (sr.width === 0) return;
    shown.push(s.closest('figure').id + ':' + s.getAttribute('class').replace('chart ', '') + ':' + Math.round(sr.width));
    s.querySelectorAll('rect, circle, line, polyline, text').forEach(function (m) {
      var r = m.getBoundingClientRect();
      if (r.left < sr.left - 1 || r.right > sr.right + 1 || r.top < sr.top - 1 || r.bottom > sr.bottom + 1)
        bad.push(s.closest('figure').id + ' ' + name(m) + ' "' + (m.textContent || '').slice(0, 30) + '" outside its drawing');
    });
  });
  var out = (window.parent !== window ? window.parent.document : document).body;
  out.setAttribute('data-viewport', vw);
  out.setAttribute('data-overflow', bad.join('; '));
  out.setAttribute('data-charts', shown.join(' '));
})();
</script>
`

// framed returns a page that shows page in an iframe exactly width CSS
// pixels wide. Headless chromium never lays a window out narrower than
// 500 px, whatever --window-size says (a 390 px screenshot is the left of
// a 500 px layout), so the page is laid out in a frame of the width under
// test instead: its media queries and its layout viewport are the
// frame's. The frame's srcdoc makes it same-origin with the wrapper, so
// the probe can write its findings where --dump-dom prints them.
func framed(page []byte, width int) []byte {
	return fmt.Appendf(nil, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">`+
		`<iframe style="border:0;display:block;width:%dpx;height:2000px" srcdoc="%s"></iframe></body></html>`,
		width, html.EscapeString(string(page)))
}

// chromium returns the path of Debian's chromium, or skips the test with
// the package to install; under CI=true a missing chromium fails it.
func chromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		msg := "the browser test needs Chromium on the PATH: install the Debian package chromium (apt-get install chromium)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: not skipped)")
		}
		t.Skip(msg)
	}
	return path
}

// runChromium runs headless chromium on a URL with a window width (and
// 2000 px tall) and returns its standard output.
func runChromium(t *testing.T, bin, profile string, width int, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir=" + profile, fmt.Sprintf("--window-size=%d,2000", width)}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, errs.String())
	}
	return out.Bytes()
}

// TestBrowser renders the report page in headless chromium at 1280 and
// 390 px wide, with every section (several groupings, the trend and a
// snapshot retention section): each chart is shown in the drawing made
// for the width, and nothing reaches past the screen or past its chart.
//
// Chromium is driven as a binary, so that the module needs no browser
// library. Layout is only known inside the browser, and the page has no
// script; so the test measures a copy of the page with a probe script
// appended (see probe), and reads the probe's findings in the DOM that
// --dump-dom prints. The screenshots are of the page itself.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: the browser test starts chromium four times")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, errs := runCmd("-by", "segment,owner", "-html", page,
		"-contracts", "../../contract/contractcsv/testdata/churn_snapshot.csv", "-contracts-map", "testdata/telco.map.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	probed := bytes.Replace(data, []byte("</body>"), []byte(probe+"</body>"), 1)
	figures := []string{"funnel", "cycle-times", "win-rate-segment", "win-rate-owner", "trend", "churn"}
	attr := func(dom []byte, name string) string {
		m := regexp.MustCompile(name + `="([^"]*)"`).FindSubmatch(dom)
		if m == nil {
			t.Fatalf("the probe wrote no %s: did its script run?\n%.2000s", name, dom)
		}
		return strings.ReplaceAll(string(m[1]), "&quot;", `"`)
	}
	for _, width := range []int{1280, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			profile := t.TempDir()
			write := func(name string, data []byte) string {
				path := filepath.Join(dir, fmt.Sprintf("%s-%d.html", name, width))
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return "file://" + path
			}
			dom := runChromium(t, bin, profile, width, "--dump-dom", write("probed", framed(probed, width)))
			if got, want := attr(dom, "data-viewport"), fmt.Sprint(width); got != want {
				t.Errorf("viewport %s px wide, want %s", got, want)
			}
			if bad := attr(dom, "data-overflow"); bad != "" {
				t.Errorf("at %d px, these reach past the screen or their chart:\n%s", width, strings.ReplaceAll(bad, "; ", "\n"))
			}
			class, min := "wide", 700
			if width < 640 {
				class, min = "narrow", 340
			}
			shown := strings.Fields(attr(dom, "data-charts"))
			var want []string
			for _, f := range figures {
				want = append(want, f+":"+class)
			}
			var got []string
			for _, s := range shown {
				parts := strings.Split(s, ":")
				got = append(got, parts[0]+":"+parts[1])
				if w := 0; len(parts) == 3 {
					fmt.Sscan(parts[2], &w)
					if w < min || w > width {
						t.Errorf("%s is drawn %d px wide at %d px; want %d to %d", s, w, width, min, width)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("charts shown at %d px: got %q, want %q", width, got, want)
			}

			shot := filepath.Join(dir, fmt.Sprintf("report-%d.png", width))
			if *screenshots != "" {
				shot = filepath.Join(*screenshots, fmt.Sprintf("report-%d.png", width))
			}
			runChromium(t, bin, profile, width, "--screenshot="+shot, write("page", framed(data, width)))
			f, err := os.Open(shot)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cfg, err := png.DecodeConfig(f)
			if err != nil || cfg.Width != width {
				t.Errorf("screenshot %s: %d px wide (%v); want %d", shot, cfg.Width, err, width)
			}
		})
	}
}
