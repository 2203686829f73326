package answer

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
)

// The JSON API of staff answering (docs/http.md), for kiosks or other clients. Errors are
// {"error": code, "message": text} with the statuses of the pages: unknown token 404, used
// 409, survey not open 410, unusable body 422.
//
// A body that is not JSON at all (a syntax error, trailing data) is answered 422 "invalid"
// like every other body the API cannot accept — a duplicate key, an unknown top-level field,
// a wrong type, an unknown question, a value off the scale — rather than 400: the code is the
// same, and the message says what is wrong. Only the content type has its own status, 415.

// handleAPISubmit serves POST /api/v1/responses with a JSON body
// {"token": "...", "answers": {"m1": 4, "m2": null}, "outcomes": {"overall": 4, "enps": 8},
// "comments": {"good": "..."}, "attributes": {"rank": "staff", "age": null}}: it stores the response and answers 201 {"status": "stored"}.
// The body is decoded strictly (decodeJSONSubmission); the token is checked before the
// answers, so a used token is 409 whatever the answers.
func (s *Server) handleAPISubmit(c echo.Context) error {
	if mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	body, err := readBody(c.Request())
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) { // the body limit
			return he
		}
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	sub, err := decodeJSONSubmission(body)
	if err != nil {
		return err
	}
	if sub.Token == "" {
		return survey.Errorf(survey.EINVALID, "token がありません。", "token is missing.")
	}
	// The token is checked in the transaction that uses it, before the answers are read
	// against its questionnaire: no read transaction of its own first (the token's errors
	// come first, as on the pages).
	err = s.store.SubmitWith(sub.Token, func(q *survey.Questionnaire) (*survey.Response, error) {
		r, _, err := sub.response(q)
		return r, err
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, storedJSON)
}

// readBody reads a request body into one buffer of the length the request announces, where
// io.ReadAll starts at 512 bytes and grows its buffer, copying, as it reads. The announced
// length only sizes the buffer (up to maxBodyGuess): the body ends where net/http and the body
// limit middleware's reader end it, and a reader's error (the limit's 413) is returned as it is.
func readBody(r *http.Request) ([]byte, error) {
	size := 512
	if n := r.ContentLength; n > 0 && n < maxBodyGuess {
		size = int(n) + 1 // one more, so that the read that sees the end needs no room
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// maxBodyGuess bounds the buffer readBody makes from a request's Content-Length before reading.
const maxBodyGuess = 64 << 10

// APIQuestionnaire is the questionnaire of one token as the API shows it: what a client needs
// to ask the questions, and the token's own section — never other sections, the token's hash,
// which items are reverse-keyed or how categories are scored.
type APIQuestionnaire struct {
	ID         string           `json:"id"`
	Year       int              `json:"year"`
	Title      survey.Text      `json:"title"`
	Section    apiSection       `json:"section"`
	Scale      survey.Scale     `json:"scale"`
	Anonymity  survey.Anonymity `json:"anonymity"`
	Categories []apiCategory    `json:"categories"`
	Outcomes   apiOutcomes      `json:"outcomes"`
	Comments   []apiComment     `json:"comments"`
	// Attributes are asked first, each answerable 「回答しない」 (null); absent for a survey
	// without attributes.
	Attributes []survey.Attribute `json:"attributes,omitempty"`
	// Period, Contact and Results are the questionnaire's texts for staff, when it has them.
	Period  *survey.Period `json:"period,omitempty"`
	Contact *survey.Text   `json:"contact,omitempty"`
	Results *survey.Text   `json:"results,omitempty"`
}

type apiSection struct {
	Code string      `json:"code"`
	Name survey.Text `json:"name"`
}

type apiCategory struct {
	ID    string      `json:"id"`
	Title survey.Text `json:"title"`
	Items []apiItem   `json:"items"`
}

type apiItem struct {
	ID   string      `json:"id"`
	Text survey.Text `json:"text"`
}

type apiOutcomes struct {
	Satisfaction *apiOutcome `json:"satisfaction,omitempty"`
	ENPS         *apiOutcome `json:"enps,omitempty"`
}

// apiOutcome is an outcome question with the range of its answers.
type apiOutcome struct {
	ID   string      `json:"id"`
	Text survey.Text `json:"text"`
	Min  int         `json:"min"`
	Max  int         `json:"max"`
}

type apiComment struct {
	ID        string      `json:"id"`
	Text      survey.Text `json:"text"`
	MaxLength int         `json:"max_length"`
}

// newAPIQuestionnaire returns the API view of q for section.
func newAPIQuestionnaire(q *survey.Questionnaire, section string) APIQuestionnaire {
	sec, _ := q.Section(section)
	a := APIQuestionnaire{ID: q.ID, Year: q.Year, Title: q.Title, Section: apiSection{Code: sec.Code, Name: sec.Name},
		Scale: q.Scale, Anonymity: q.Anonymity, Categories: []apiCategory{}, Comments: []apiComment{},
		Attributes: q.Attributes, Period: q.Period, Contact: q.Contact, Results: q.Results}
	for _, c := range q.Categories {
		ac := apiCategory{ID: c.ID, Title: c.Title, Items: []apiItem{}}
		for _, it := range c.Items {
			ac.Items = append(ac.Items, apiItem{ID: it.ID, Text: it.Text})
		}
		a.Categories = append(a.Categories, ac)
	}
	if o := q.Outcomes.Satisfaction; o != nil {
		a.Outcomes.Satisfaction = &apiOutcome{ID: o.ID, Text: o.Text, Min: 1, Max: q.Scale.Points}
	}
	if o := q.Outcomes.ENPS; o != nil {
		a.Outcomes.ENPS = &apiOutcome{ID: o.ID, Text: o.Text, Min: 0, Max: 10}
	}
	for _, c := range q.Comments {
		a.Comments = append(a.Comments, apiComment{ID: c.ID, Text: c.Text, MaxLength: c.MaxLength})
	}
	return a
}

// handleAPIQuestionnaire serves GET /api/v1/questionnaire?t=TOKEN: the token's questionnaire
// and section as JSON (APIQuestionnaire). Token errors as for POST /api/v1/responses.
func (s *Server) handleAPIQuestionnaire(c echo.Context) error {
	_, t, err := s.redeemable(c, c.QueryParam(tokenField))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIQuestionnaire(t.Survey.Questionnaire, t.Section))
}

// storedJSON is the answer to a stored submission, encoded once (as c.JSON would, newline included).
var storedJSON = []byte(`{"status":"stored"}` + "\n")
