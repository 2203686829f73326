package page

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// Lang is the language of a page: Japanese, the default, or English. It is the one way Go code
// and templates pick a text: Pick for two literals, Text for a survey.Text.
type Lang string

// The two languages.
const (
	JA Lang = "ja"
	EN Lang = "en"
)

// Pick returns ja or en, whichever is in l.
func (l Lang) Pick(ja, en string) string {
	if l == EN {
		return en
	}
	return ja
}

// Text returns t in l (its Japanese when it has no English).
func (l Lang) Text(t survey.Text) string { return t.In(string(l)) }

// ParseLang returns the language s names, and whether it names one.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case JA, EN:
		return Lang(s), true
	}
	return JA, false
}

// ctxLang is the context key of a language chosen by a posted form (the answer page's switch).
const ctxLang = "lang"

// LangOf returns EN when the request asks for English (a switch posted with the answers,
// ?lang=en, or the lang cookie), else JA.
func LangOf(c echo.Context) Lang {
	if l, ok := c.Get(ctxLang).(Lang); ok {
		return l
	}
	if l, ok := ParseLang(c.QueryParam("lang")); ok {
		SetLang(c, l)
		return l
	}
	if cookieLang(c) == string(EN) {
		return EN
	}
	return JA
}

// SetLang makes l the language of this request and, by cookie, of the next ones.
func SetLang(c echo.Context, l Lang) {
	c.Set(ctxLang, l)
	if string(l) != cookieLang(c) {
		c.SetCookie(&http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 86400, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	}
}

func cookieLang(c echo.Context) string {
	if ck, err := c.Cookie("lang"); err == nil {
		return ck.Value
	}
	return ""
}
