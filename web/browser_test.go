package web

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"staffsurvey/internal/demo"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/survey/storage/storagetest"
)

// Browser tests: a real headless Chromium against an httptest server with seeded data. They
// sign in, open the report and trends pages and check that every chart is drawn, answer
// the questionnaire at a phone and a desktop size, print token slips, and fail on any console
// error (CSP violations included) or any request to another host. Screenshots go to
// testdata/artifacts/ for people to look at. Without Chromium the test is skipped; CI installs
// Debian's chromium, so it runs there.

// artifactsDir is where the screenshots go (gitignored).
const artifactsDir = "testdata/artifacts"

// findChromium returns the path of a Chromium or Chrome binary, or "".
func findChromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium tab with what it saw.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	host string

	mu       sync.Mutex
	problems []string // console errors, exceptions, requests to other hosts
	requests int
	axeRuns  int
}

func newBrowser(t *testing.T, base string) *browser {
	exe := findChromium()
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium found, and CI must run the browser tests (.ci/run installs Debian's chromium)")
		}
		t.Skip("no chromium found (set CHROMIUM or install Debian's chromium)")
	}
	profile, err := os.MkdirTemp("", "staffsurvey-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.UserDataDir(profile),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		// Chromium's helper processes may still write to the profile for a moment after the
		// browser exits (t.TempDir's cleanup then failed the test: "directory not empty").
		for range 50 {
			if os.RemoveAll(profile) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	u, _ := url.Parse(base)
	b := &browser{t: t, ctx: ctx, base: base, host: u.Host}
	if err := chromedp.Listen(ctx, b.observe); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

// observe records console errors, exceptions and requests. It runs on chromedp's reader
// goroutine, so it only appends under the lock.
func (b *browser) observe(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			problem = "console error: " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		problem = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			problem += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError && !strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
			problem = fmt.Sprintf("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.mu.Lock()
		b.requests++
		b.mu.Unlock()
		u, err := url.Parse(ev.Request.URL)
		if err == nil && u.Scheme != "data" && u.Scheme != "about" && u.Scheme != "blob" && u.Host != b.host {
			problem = "request to another host: " + ev.Request.URL
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

// do runs actions with a time limit, failing the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func evalIn[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// screenshot saves the whole page as testdata/artifacts/name.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	// A full page of the report or the questionnaire at 390 px is over 20,000 px tall: on a
	// machine busy with other builds its screenshot has taken more than 20 s.
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifactsDir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

// expectedStatus forgets the browser's log lines about HTTP error statuses of pages that
// were asked for on purpose (an unknown code is 404, a used one 409).
func (b *browser) expectedStatus() {
	b.mu.Lock()
	defer b.mu.Unlock()
	var keep []string
	for _, p := range b.problems {
		if !strings.Contains(p, "Failed to load resource: the server responded with a status of 4") {
			keep = append(keep, p)
		}
	}
	b.problems = keep
}

// check fails the test for every problem seen so far and forgets them.
func (b *browser) check(where string) {
	b.t.Helper()
	b.mu.Lock()
	problems := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range problems {
		b.t.Errorf("%s: %s", where, p)
	}
}

// chartsDrawn checks that the page has at least want charts (drawn on the server), each with
// something drawn (bars, points, lines, coloured cells) and at most as wide as the window;
// a wider heatmap scrolls inside its own box.
func (b *browser) chartsDrawn(where string, want int) {
	b.t.Helper()
	type info struct {
		ID    string
		Marks int
		Width float64
	}
	charts := evalIn[[]info](b, `Array.from(document.querySelectorAll("div.drawn-chart")).map(d => ({ID: d.id,
		Marks: d.querySelectorAll("svg rect, svg path, svg circle, td").length, Width: d.getBoundingClientRect().width}))`)
	if len(charts) < want {
		b.t.Errorf("%s: %d charts; want at least %d", where, len(charts), want)
	}
	inner := evalIn[float64](b, `window.innerWidth`)
	for _, c := range charts {
		if c.Marks == 0 || c.Width <= 0 {
			b.t.Errorf("%s: chart %s drew nothing", where, c.ID)
		}
		if c.Width > inner {
			b.t.Errorf("%s: chart %s is %.0f px wide in a %.0f px window", where, c.ID, c.Width, inner)
		}
	}
}

// tick clicks the label of a radio button as a person would, after scrolling it to the middle
// of the window so that no fixed bar covers it.
func (b *browser) tick(name, value string) chromedp.Action[chromedp.Void] {
	sel := fmt.Sprintf(`label:has(> input[name=%q][value=%q])`, name, value)
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: "center"})`, sel)),
		chromedp.Click(chromedp.CSS(sel)),
	)
}

// seedDemoSurveys stores five closed years of the shipped questionnaire with the demo data
// of `serve --demo`, so that the pages are seen as a newcomer sees them, and returns the id
// of the latest.
func seedDemoSurveys(tb testing.TB, st *storage.Store) string {
	tb.Helper()
	years := seedDemoYears(tb, st, 0, 5)
	return years[len(years)-1].ID
}

// seedDemoYears stores years from to to−1 of the six demo years of kita-2026 as closed
// surveys with demo responses (the i-th year with seed from+i), and returns them.
func seedDemoYears(tb testing.TB, st *storage.Store, from, to int) []*survey.Questionnaire {
	tb.Helper()
	q := kitaQuestionnaire(tb)
	years := demo.Years(q, 6)[from:to]
	sizes := demo.Sizes(q, 2026)
	for i, y := range years {
		mustCreateSurvey(tb, st, y, survey.StateDraft)
		if err := st.Import(y.ID, demo.Responses(y, 2026, from+i, sizes)); err != nil {
			tb.Fatal(err)
		}
		if err := storagetest.CloseSurvey(st, y.ID); err != nil {
			tb.Fatal(err)
		}
		publishUnflagged(tb, st, y.ID)
	}
	return years
}

// signIn signs in as name through the login form, which goes on to next, and waits for wait
// there. It first waits for the browser to have left the login page, whose own elements (its
// h1) would otherwise satisfy wait before the redirect arrives, and a test would read the
// login page as if it were the next one.
func (b *browser) signIn(name, next, wait string) {
	b.t.Helper()
	b.do("sign in as "+name,
		chromedp.Navigate(b.base+"/admin/login?next="+next),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), adminTestPassword),
		chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action="/admin/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(wait)),
	)
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	_, st, ts := newAdminTestServer(t, Config{})
	report := "/admin/surveys/" + seedDemoSurveys(t, st) + "/report"
	q, _ := mustOpenSurvey(t, st, 4)
	b := newBrowser(t, ts.URL)
	start := time.Now()

	// Sign in at a desktop size: the login form sends us on to the report we asked for.
	b.do("sign in",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+report),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
	)
	b.screenshot("admin-login-1280")
	b.do("submit the login form",
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), adminTestPassword),
		chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report at 1280", 5)
	b.screenshot("admin-report-1280")
	b.check("report at 1280")

	// The same report on a phone: charts follow the narrower window.
	b.do("report on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report at 390", 5)
	b.screenshot("admin-report-390")
	b.check("report at 390")

	// The report as printed on A4: print styles, no navigation, charts within the page.
	b.do("report for print",
		chromedp.EmulateViewport(794, 1123),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report at A4 width", 5)
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	if d := evalIn[string](b, `getComputedStyle(document.querySelector(".admin-nav")).display`); d != "none" {
		t.Errorf("the navigation prints (display %q)", d)
	}
	b.screenshot("admin-report-print")
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	b.check("report for print")

	// In English.
	b.do("report in English",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+report+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`#chart-heatmap table.heatmap`)),
	)
	b.chartsDrawn("report in English", 5)
	b.screenshot("admin-report-en-1280")
	b.do("back to Japanese", chromedp.Navigate(ts.URL+"/admin?lang=ja"), chromedp.WaitVisible(chromedp.CSS(`table.surveys`)))
	b.check("report in English")

	// Trends of the organisation and a picked section.
	b.do("trends",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+"/admin/trends?section=kumin"),
		chromedp.WaitVisible(chromedp.CSS(`#chart-trend-section svg.plot`)),
	)
	b.chartsDrawn("trends", 2)
	b.screenshot("admin-trends-1280")
	b.do("trends on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#chart-trend-section svg.plot`)),
	)
	b.chartsDrawn("trends at 390", 2)
	b.screenshot("admin-trends-390")
	b.check("trends")
	b.do("desktop again", chromedp.EmulateViewport(1280, 800))

	// The survey list and an open survey's dashboard; then print slips for it.
	b.do("survey list", chromedp.Navigate(ts.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`table.surveys`)))
	b.screenshot("admin-home-1280")
	b.do("survey page", chromedp.Navigate(ts.URL+"/admin/surveys/"+q.ID), chromedp.WaitVisible(chromedp.CSS(`table.rates`)))
	b.screenshot("admin-survey-1280")
	b.do("issue a batch",
		chromedp.SetValue(chromedp.CSS(`form.issue input[name="count"]`), "10"),
		chromedp.Click(chromedp.CSS(`form.issue input[name="confirm_base"]`)),
		chromedp.Click(chromedp.CSS(`form.issue button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/slips"]`)),
	)
	b.screenshot("admin-batch-1280")
	b.do("print slips",
		chromedp.Navigate(evalIn[string](b, `document.querySelector('a[href$="/slips"]').href`)),
		chromedp.WaitVisible(chromedp.CSS(`section.slip img.qr`)),
	)
	if n := evalIn[int](b, `Array.from(document.querySelectorAll("img.qr")).filter(i => i.complete && i.naturalWidth > 0).length`); n != 10 {
		t.Errorf("%d QR codes drawn; want 10", n)
	}
	if bg := evalIn[string](b, `getComputedStyle(document.querySelector(".sheet")).backgroundColor`); bg != "rgb(255, 255, 255)" {
		t.Errorf("slips are unstyled (sheet background %q): their style element was blocked", bg)
	}
	b.screenshot("admin-slips-1280")
	b.check("slips")

	// Users and the audit log.
	b.do("users", chromedp.Navigate(ts.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(`table.users`)))
	b.screenshot("admin-users-1280")
	b.check("users")
	b.do("audit log", chromedp.Navigate(ts.URL+"/admin/audit"), chromedp.WaitVisible(chromedp.CSS(`table.audit`)))
	b.screenshot("admin-audit-1280")
	b.check("audit log")

	// Staff answering is TestBrowserAnswering's.
	if b.requests == 0 {
		t.Errorf("no network requests seen: the observer is not working")
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}
