package page

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// parseTemplates parses every page under templates/ together with the layout, once.
// A page file defines "title" and "content"; files whose names start with "_" are shared
// partials included in every page.
func (s *Site) parseTemplates(assets fs.FS, extra template.FuncMap) error {
	s.pages = map[string]*template.Template{}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	var shared []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			shared = append(shared, n)
		}
	}
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(Funcs()).Funcs(extra).ParseFS(assets, append(shared, n)...)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", base, err)
		}
		s.pages[base] = t
	}
	return nil
}

var funcs = template.FuncMap{
	// tr picks the Japanese or English literal for the page language.
	"tr": func(lang Lang, ja, en string) string { return lang.Pick(ja, en) },
	// text picks a survey.Text in the page language.
	"text": func(lang Lang, t survey.Text) string { return lang.Text(t) },
	"add":  func(a, b int) int { return a + b },
	// period says a survey's period for people (info.go).
	"period": func(lang Lang, p *survey.Period) string { return p.Say(string(lang)) },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
}

// page is the data every page gets: its language and its own data.
type page struct {
	Lang Lang
	Path string // the request path
	// SwitchJA and SwitchEN are this page's URL in the other language: the same path and query
	// (a report's section, the answer token) with lang set.
	SwitchJA, SwitchEN string
	Data               any
	// Extra holds values set by middleware or handlers (the signed-in user, the CSRF token,
	// the answer token the language switch must keep).
	Extra map[string]any
	// Info is the period, contact and results shown on staff pages (info.go); nil on admin pages.
	Info *Info
}

// Render renders page name with data and status. It renders into a buffer first so that a
// template error becomes a clean 500 instead of half a page.
func (s *Site) Render(c echo.Context, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %s", name)
	}
	p := page{Lang: LangOf(c), Path: c.Request().URL.Path, Data: data, Extra: map[string]any{}}
	for _, k := range []string{"user", "csrf", ctxToken} {
		if v := c.Get(k); v != nil {
			p.Extra[k] = v
		}
	}
	p.SwitchJA, p.SwitchEN = switchURL(c, "ja"), switchURL(c, "en")
	if !strings.HasPrefix(p.Path, "/admin") {
		p.Info = s.info(c)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// switchURL is the request's URL with lang set. A form's answers are not carried (a POST's
// body is not a URL), but its token is, so the switch never loses the questionnaire.
func switchURL(c echo.Context, lang string) string {
	q := url.Values{}
	if c.Request().Method == http.MethodGet {
		q = c.Request().URL.Query()
	}
	q.Del("lang")
	var b strings.Builder
	b.WriteString(c.Request().URL.Path + "?")
	if tok, ok := c.Get(ctxToken).(string); ok && tok != "" {
		q.Del("t")
		b.WriteString("t=" + url.QueryEscape(tok) + "&")
	}
	if rest := q.Encode(); rest != "" {
		b.WriteString(rest + "&")
	}
	b.WriteString("lang=" + lang)
	return b.String()
}
