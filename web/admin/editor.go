package admin

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"

	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// The questionnaire editor: the survey office makes next year's survey in the browser, without
// writing YAML. It copies a stored survey (handleSurveyCopy), then edits the draft's id, year,
// period, contact, results note, every text in Japanese and English, and the section tree
// (add, rename, move, retire). What the form makes is written as a questionnaire file
// (survey.Questionnaire.YAML) and read back by the same parser and validator as an upload,
// so an error names the field in the form and the line of that file, as for a file a person
// wrote. Question ids and categories are not edited here (a new question is a change of the
// file); the draft can be downloaded as YAML and replaced by an upload for that.
//
// Sections keep their codes when they are renamed or moved: reports, trends and a manager's
// scope follow a section by its code across years (docs/analysis.md), so a renamed or moved
// section stays one line on the trends page. A section added here gets a new code; a retired
// one simply is not in the new year.
//
// Only a draft without responses is edited; an open or closed survey is shown read-only.

// newRows is the number of empty rows for new sections under the tree (more after a save).
const newRows = 3

// maxSectionRows bounds the rows a posted form may carry.
const maxSectionRows = 2000

// editorForm holds the editor's values: from the stored draft, or as posted (kept on an error).
type editorForm struct {
	ID, Year             string
	TitleJA, TitleEN     string
	Opens, Closes        string
	ContactJA, ContactEN string
	ResultsJA, ResultsEN string
	Parts                []editorPart
	Sections             []sectionRow
}

// editorPart is a fieldset of texts: a category with its items, the outcomes, the comments.
type editorPart struct {
	Title survey.Text
	Texts []textRow
}

// textRow is one text of the questionnaire: a category's title or a question (item, outcome,
// comment), by its id.
type textRow struct {
	ID     string
	Label  survey.Text
	JA, EN string
	Long   bool // a question (a textarea), not a title
}

// sectionRow is one row of the section tree: an existing section (its code fixed) or a new one.
type sectionRow struct {
	Index       int
	Code        string
	Parent      string // a code, or survey.Root for the top level
	JA, EN      string
	Order       string
	New, Retire bool
	Depth       int
	WasJA       string // the stored name, to say "renamed"
}

// editorPage is the data of admin_survey_edit.html.
type editorPage struct {
	Survey     *survey.Survey
	StateTitle survey.Text
	Form       editorForm
	Editable   bool
	// ReadOnly says why the questionnaire cannot be edited, when it cannot.
	ReadOnly *survey.Text
	// Tokens is true when answer codes were issued: sections holding codes must stay.
	Tokens bool
	// Parents are the sections a row may be placed under (root first).
	Parents []parentOption
	// Error is the summary above the form; Errors the messages beside the fields, by key
	// (id, year, title, period, contact, results, t-<text id>, s<row>).
	Error  *survey.Text
	Errors map[string]*survey.Text
	// Field is the key of the field Error is about; YAMLLine and YAMLText the line of the
	// generated questionnaire file the parser named.
	Field      string
	FieldLabel *survey.Text // the field's label in the form
	YAMLLine   int
	YAMLText   string
	Saved      bool
	NewCode    string // an example of the codes new sections get
}

type parentOption struct {
	Code  string
	Name  survey.Text
	Depth int
}

// editable says whether sv's questionnaire may change, and why not.
func editable(sv *survey.Survey) *survey.Text {
	switch {
	case sv.State != survey.StateDraft:
		t := survey.Text{JA: "この調査は「" + survey.StateTitle(sv.State).JA + "」のため、調査票は変更できません（閲覧のみ）。変更した調査票が必要なら、コピーして新しい調査を作成してください。",
			EN: "This survey is " + strings.ToLower(survey.StateTitle(sv.State).EN) + ", so its questionnaire cannot change (read only). Copy it to make a new survey instead."}
		return &t
	case sv.Responses > 0:
		t := survey.Text{JA: "この調査には取り込み済みの回答があるため、調査票は変更できません（閲覧のみ）。",
			EN: "This survey has imported responses, so its questionnaire cannot change (read only)."}
		return &t
	}
	return nil
}

// formOf returns the editor's values for q.
func formOf(q *survey.Questionnaire) editorForm {
	f := editorForm{ID: q.ID, Year: strconv.Itoa(q.Year), TitleJA: q.Title.JA, TitleEN: q.Title.EN}
	if q.Period != nil {
		f.Opens, f.Closes = q.Period.Opens, q.Period.Closes
	}
	if q.Contact != nil {
		f.ContactJA, f.ContactEN = q.Contact.JA, q.Contact.EN
	}
	if q.Results != nil {
		f.ResultsJA, f.ResultsEN = q.Results.JA, q.Results.EN
	}
	f.Parts = textParts(q, func(id string, t survey.Text) (string, string) { return t.JA, t.EN })
	tree := q.Tree()
	siblings := map[string]int{}
	for i, fs := range tree[1:] {
		siblings[fs.Parent]++
		f.Sections = append(f.Sections, sectionRow{Index: i, Code: fs.Code, Parent: fs.Parent, JA: fs.Name.JA, EN: fs.Name.EN,
			Order: strconv.Itoa(siblings[fs.Parent] * 10), Depth: fs.Depth, WasJA: fs.Name.JA})
	}
	f.addBlankRows()
	return f
}

// addBlankRows adds the empty rows for new sections.
func (f *editorForm) addBlankRows() {
	for range newRows {
		f.Sections = append(f.Sections, sectionRow{Index: len(f.Sections), Parent: survey.Root, New: true, Depth: 1})
	}
}

// textParts lists the texts of q in page order, with the values value gives each.
func textParts(q *survey.Questionnaire, value func(id string, t survey.Text) (string, string)) []editorPart {
	row := func(id string, label survey.Text, t survey.Text, long bool) textRow {
		ja, en := value(id, t)
		return textRow{ID: id, Label: label, JA: ja, EN: en, Long: long}
	}
	var parts []editorPart
	n := 0
	for _, c := range q.Categories {
		p := editorPart{Title: c.Title}
		p.Texts = append(p.Texts, row(c.ID, survey.Text{JA: "分野の見出し", EN: "Heading of the part"}, c.Title, false))
		for _, it := range c.Items {
			n++
			label := survey.Text{JA: fmt.Sprintf("問%d（%s）", n, it.ID), EN: fmt.Sprintf("Q%d (%s)", n, it.ID)}
			if it.Reverse {
				label.JA += "・逆転項目"
				label.EN += ", reverse-scored"
			}
			p.Texts = append(p.Texts, row(it.ID, label, it.Text, true))
		}
		parts = append(parts, p)
	}
	var out editorPart
	out.Title = survey.Text{JA: "総合評価", EN: "Overall"}
	if o := q.Outcomes.Satisfaction; o != nil {
		n++
		out.Texts = append(out.Texts, row(o.ID, survey.Text{JA: fmt.Sprintf("問%d（%s・総合満足度）", n, o.ID), EN: fmt.Sprintf("Q%d (%s, overall satisfaction)", n, o.ID)}, o.Text, true))
	}
	if o := q.Outcomes.ENPS; o != nil {
		n++
		out.Texts = append(out.Texts, row(o.ID, survey.Text{JA: fmt.Sprintf("問%d（%s・0〜10）", n, o.ID), EN: fmt.Sprintf("Q%d (%s, 0–10)", n, o.ID)}, o.Text, true))
	}
	if len(out.Texts) > 0 {
		parts = append(parts, out)
	}
	if len(q.Comments) > 0 {
		p := editorPart{Title: survey.Text{JA: "自由記述", EN: "Comments"}}
		for i, c := range q.Comments {
			p.Texts = append(p.Texts, row(c.ID, survey.Text{JA: fmt.Sprintf("自由記述%d（%s）", i+1, c.ID), EN: fmt.Sprintf("Comment %d (%s)", i+1, c.ID)}, c.Text, true))
		}
		parts = append(parts, p)
	}
	return parts
}

// postedForm reads the editor's values from the request; the texts are those of base's
// questions (a posted id that is not one is ignored).
func postedForm(c echo.Context, base *survey.Questionnaire) editorForm {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	f := editorForm{ID: v("id"), Year: v("year"), TitleJA: v("title-ja"), TitleEN: v("title-en"),
		Opens: v("opens"), Closes: v("closes"), ContactJA: v("contact-ja"), ContactEN: v("contact-en"),
		ResultsJA: v("results-ja"), ResultsEN: v("results-en")}
	f.Parts = textParts(base, func(id string, _ survey.Text) (string, string) { return v("t-" + id + "-ja"), v("t-" + id + "-en") })
	n, _ := strconv.Atoi(c.FormValue("sections"))
	n = min(max(n, 0), maxSectionRows)
	stored := map[string]survey.FlatSection{}
	for _, fs := range base.Tree() {
		stored[fs.Code] = fs
	}
	for i := range n {
		p := "s" + strconv.Itoa(i) + "-"
		r := sectionRow{Index: i, Code: v(p + "code"), Parent: v(p + "parent"), JA: v(p + "ja"), EN: v(p + "en"),
			Order: v(p + "order"), New: c.FormValue(p+"new") == "1", Retire: c.FormValue(p+"retire") == "1"}
		if fs, ok := stored[r.Code]; ok && !r.New {
			r.WasJA, r.Depth = fs.Name.JA, fs.Depth
		} else {
			r.New, r.Depth = true, 1
		}
		if r.Parent == "" {
			r.Parent = survey.Root
		}
		f.Sections = append(f.Sections, r)
	}
	return f
}

// blank reports whether a row for a new section was left empty.
func (r sectionRow) blank() bool { return r.New && r.Code == "" && r.JA == "" && r.EN == "" }

// fieldError is a problem the form itself finds, before the questionnaire is written.
type fieldError struct {
	key string
	msg survey.Text
}

func fieldErrorf(key, ja, en string, args ...any) *fieldError {
	return &fieldError{key: key, msg: survey.Text{JA: fmt.Sprintf(ja, args...), EN: fmt.Sprintf(en, args...)}}
}

// apply returns base changed as f says: a copy; base is not touched. It checks what only the
// form can get wrong (a year that is not a number, the tree's rows); the rest is the
// validator's, after the questionnaire is written and read back.
func (f *editorForm) apply(base *survey.Questionnaire) (*survey.Questionnaire, *fieldError) {
	q, err := cloneQuestionnaire(base)
	if err != nil {
		return nil, fieldErrorf("id", "調査票を複製できません: %v", "cannot copy the questionnaire: %v", err)
	}
	q.ID = f.ID
	year, err := strconv.Atoi(f.Year)
	if err != nil {
		return nil, fieldErrorf("year", "年度は西暦4桁の数字で入力してください（%q）", "the year must be a four-digit number (%q)", f.Year)
	}
	q.Year = year
	q.Title = survey.Text{JA: f.TitleJA, EN: f.TitleEN}
	q.Period = nil
	if f.Opens != "" || f.Closes != "" {
		q.Period = &survey.Period{Opens: f.Opens, Closes: f.Closes}
	}
	q.Contact, q.Results = optionalText(f.ContactJA, f.ContactEN), optionalText(f.ResultsJA, f.ResultsEN)
	texts := map[string]survey.Text{}
	for _, p := range f.Parts {
		for _, t := range p.Texts {
			texts[t.ID] = survey.Text{JA: t.JA, EN: t.EN}
		}
	}
	for i := range q.Categories {
		c := &q.Categories[i]
		if t := texts[c.ID]; t != c.Title {
			c.Title, c.Short = t, survey.Text{} // a short title of the old one would mislead
		}
		for j := range c.Items {
			c.Items[j].Text = texts[c.Items[j].ID]
		}
	}
	for _, o := range []*survey.Outcome{q.Outcomes.Satisfaction, q.Outcomes.ENPS} {
		if o != nil {
			o.Text = texts[o.ID]
		}
	}
	for i := range q.Comments {
		q.Comments[i].Text = texts[q.Comments[i].ID]
	}
	sections, ferr := f.tree(base, year)
	if ferr != nil {
		return nil, ferr
	}
	q.Sections = sections
	return q, nil
}

func optionalText(ja, en string) *survey.Text {
	if ja == "" && en == "" {
		return nil
	}
	return &survey.Text{JA: ja, EN: en}
}

// cloneQuestionnaire returns a deep copy of q (through the stored form, JSON).
func cloneQuestionnaire(q *survey.Questionnaire) (*survey.Questionnaire, error) {
	data, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	var out survey.Questionnaire
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// tree builds the section tree of the rows: each row under its parent, siblings by their
// order (then as listed). A new row without a code gets one (newCode). Existing sections keep
// their codes, and their short names unless renamed.
func (f *editorForm) tree(base *survey.Questionnaire, year int) ([]survey.Section, *fieldError) {
	type node struct {
		sec   survey.Section
		row   sectionRow
		order int
		kids  []*node
	}
	shorts := map[string]survey.Text{}
	used := map[string]bool{survey.Root: true}
	for _, fs := range base.Tree() {
		used[fs.Code] = true
	}
	var walk func(ss []survey.Section)
	walk = func(ss []survey.Section) {
		for _, s := range ss {
			shorts[s.Code] = s.Short
			walk(s.Children)
		}
	}
	walk(base.Sections)
	for _, r := range f.Sections {
		if r.New && r.Code != "" {
			used[r.Code] = true
		}
	}
	nodes := map[string]*node{}
	var order []*node
	retired := map[string]int{} // code → row
	for i := range f.Sections {
		r := &f.Sections[i]
		if r.blank() {
			continue
		}
		key := "s" + strconv.Itoa(r.Index)
		if r.Retire && !r.New {
			retired[r.Code] = r.Index
			continue
		}
		if r.New && r.Code == "" {
			r.Code = newCode(year, used)
			used[r.Code] = true
		}
		if _, dup := nodes[r.Code]; dup {
			return nil, fieldErrorf(key, "所属コード %q が重複しています。別のコードにしてください",
				"the section code %q is used twice: choose another", r.Code)
		}
		o := 1 << 30 // no order: after the others
		if r.Order != "" {
			n, err := strconv.Atoi(r.Order)
			if err != nil {
				return nil, fieldErrorf(key, "「%s」の順番は整数で入力してください（%q）", "the order of %q must be a whole number (%q)", r.JA, r.Order)
			}
			o = n
		}
		sec := survey.Section{Code: r.Code, Name: survey.Text{JA: r.JA, EN: r.EN}}
		if !r.New && r.JA == r.WasJA {
			sec.Short = shorts[r.Code]
		}
		n := &node{sec: sec, row: *r, order: o}
		nodes[r.Code] = n
		order = append(order, n)
	}
	var roots []*node
	for _, n := range order {
		key := "s" + strconv.Itoa(n.row.Index)
		if n.row.Parent == survey.Root {
			roots = append(roots, n)
			continue
		}
		p, ok := nodes[n.row.Parent]
		if !ok {
			if _, gone := retired[n.row.Parent]; gone {
				return nil, fieldErrorf(key, "「%s」の上位の所属 %q を廃止しています。先に「%s」を別の所属の下へ移すか、廃止してください",
					"%q is under %q, which is retired: move %q under another section first, or retire it too", n.row.JA, n.row.Parent, n.row.JA)
			}
			return nil, fieldErrorf(key, "「%s」の上位の所属 %q がありません", "%q is under %q, which does not exist", n.row.JA, n.row.Parent)
		}
		for a, steps := p, 0; a != nil; steps++ {
			if a == n || steps > len(order) {
				return nil, fieldErrorf(key, "「%s」を、その下にある所属の下へ移すことはできません", "%q cannot move under a section below it", n.row.JA)
			}
			if a.row.Parent == survey.Root {
				break // a row typed with the reserved code "all" is the validator's to refuse
			}
			a = nodes[a.row.Parent]
		}
		p.kids = append(p.kids, n)
	}
	var build func(ns []*node) []survey.Section
	build = func(ns []*node) []survey.Section {
		slices.SortStableFunc(ns, func(a, b *node) int { return a.order - b.order })
		var out []survey.Section
		for _, n := range ns {
			s := n.sec
			s.Children = build(n.kids)
			out = append(out, s)
		}
		return out
	}
	return build(roots), nil
}

// newCode returns the first free code s<year>-<n>: section codes are ASCII, and a name in
// Japanese has no one spelling in it, so a new section gets a plain numbered code the office
// may overwrite before saving.
func newCode(year int, used map[string]bool) string {
	for n := 1; ; n++ {
		c := fmt.Sprintf("s%d-%d", year, n)
		if !used[c] {
			return c
		}
	}
}

// treeChanges counts what an edit did to the section tree, for the audit log.
func treeChanges(old, q *survey.Questionnaire) string {
	before := map[string]survey.FlatSection{}
	for _, fs := range old.Tree() {
		before[fs.Code] = fs
	}
	var added, renamed, moved int
	seen := map[string]bool{}
	for _, fs := range q.Tree() {
		seen[fs.Code] = true
		b, ok := before[fs.Code]
		switch {
		case !ok:
			added++
		default:
			if b.Name != fs.Name {
				renamed++
			}
			if b.Parent != fs.Parent {
				moved++
			}
		}
	}
	retired := len(before) - (len(seen) - added)
	return fmt.Sprintf("sections added=%d renamed=%d moved=%d retired=%d", added, renamed, moved, retired)
}

// editorPageOf returns the editor of sv with f's values.
func (s *Server) editorPageOf(sv *survey.Survey, f editorForm) (*editorPage, error) {
	p := &editorPage{Survey: sv, StateTitle: survey.StateTitle(sv.State), Form: f, ReadOnly: editable(sv), Errors: map[string]*survey.Text{}}
	p.Editable = p.ReadOnly == nil
	counts, err := s.store.TokenCounts(sv.ID())
	if err != nil {
		return nil, err
	}
	for _, tc := range counts {
		if tc.Issued+tc.Voided > 0 {
			p.Tokens = true
		}
	}
	for _, fs := range sv.Questionnaire.Tree() {
		p.Parents = append(p.Parents, parentOption{Code: fs.Code, Name: fs.Name, Depth: fs.Depth})
	}
	year, _ := strconv.Atoi(f.Year)
	p.NewCode = fmt.Sprintf("s%d-1", year)
	return p, nil
}

// handleSurveyEditForm serves GET /admin/surveys/{id}/edit: the questionnaire editor of a
// draft, or the questionnaire read-only for a survey that is not one.
func (s *Server) handleSurveyEditForm(c echo.Context) error {
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	p, err := s.editorPageOf(sv, formOf(sv.Questionnaire))
	if err != nil {
		return err
	}
	p.Saved = c.QueryParam("saved") == "1"
	return s.render(c, http.StatusOK, "admin_survey_edit.html", p)
}

// handleSurveyEdit serves POST /admin/surveys/{id}/edit: the editor's fields. The draft is
// written as a questionnaire file and read back (survey.Parse); a problem re-renders the form
// with 422, everything typed kept, the field marked, and nothing stored. On success the draft
// is replaced (storage.UpdateDraft) → 303 to the editor under its (perhaps new) id.
func (s *Server) handleSurveyEdit(c echo.Context) error {
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	base := sv.Questionnaire
	f := postedForm(c, base)
	p, err := s.editorPageOf(sv, f)
	if err != nil {
		return err
	}
	fail := func(status int, key string, msg survey.Text) error {
		p.Error, p.Field = &msg, key
		if key != "" {
			p.Errors[key] = &msg
			p.FieldLabel = f.label(key)
		}
		return s.render(c, status, "admin_survey_edit.html", p)
	}
	if p.ReadOnly != nil {
		return fail(http.StatusConflict, "", *p.ReadOnly)
	}
	q, ferr := f.apply(base)
	if ferr != nil {
		return fail(http.StatusUnprocessableEntity, ferr.key, ferr.msg)
	}
	name := q.ID + ".yaml"
	if !fileName.MatchString(name) {
		name = "questionnaire.yaml"
	}
	data, err := q.YAML()
	if err != nil {
		return err
	}
	parsed, err := survey.Parse(name, data)
	if err != nil {
		p.YAMLLine, p.YAMLText = errorLine(err, data)
		return fail(http.StatusUnprocessableEntity, f.fieldOf(err, data, p.YAMLLine), survey.ErrorMessage(err))
	}
	err = s.store.UpdateDraft(base.ID, parsed)
	switch code := survey.ErrorCode(err); code {
	case "":
	case survey.ECONFLICT:
		return fail(http.StatusConflict, "id", survey.ErrorMessage(err))
	case survey.EINVALID, survey.ESTATE:
		return fail(page.StatusOf[code], "", survey.ErrorMessage(err))
	default:
		return err
	}
	detail := treeChanges(base, parsed)
	if parsed.ID != base.ID {
		detail = "id " + base.ID + " → " + parsed.ID + "; " + detail
	}
	s.log.Info("survey edited", "survey", parsed.ID)
	s.audit(c, "survey.edit", parsed.ID, detail)
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+parsed.ID+"/edit?saved=1")
}

var fileName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.yaml$`)

// lineOf matches the start of a message of survey.Parse: "name:line: ".
var lineOf = regexp.MustCompile(`^[^:]*:(\d+): `)

// errorLine returns the line of the written file that err names, and its text.
func errorLine(err error, data []byte) (int, string) {
	m := lineOf.FindStringSubmatch(survey.ErrorMessage(err).JA)
	if m == nil {
		return 0, ""
	}
	n, _ := strconv.Atoi(m[1])
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return 0, ""
	}
	return n, strings.TrimSpace(lines[n-1])
}

// fieldPath matches the field a message of survey.Parse names: "name[:line]: field: …".
var fieldPath = regexp.MustCompile(`^[^:]*:(?:\d+:)? ([a-z_]+)(?:\.([a-z0-9-]+))?`)

// fieldOf returns the key of the form field a parse error is about: by the element on the
// line it names in the written file, else by the field it names.
func (f *editorForm) fieldOf(err error, data []byte, line int) string {
	if line > 0 {
		if key := f.fieldAtLine(data, line); key != "" {
			return key
		}
	}
	m := fieldPath.FindStringSubmatch(survey.ErrorMessage(err).EN)
	if m == nil {
		return ""
	}
	switch m[1] {
	case "id", "year", "title", "period", "contact", "results":
		return m[1]
	case "categories", "items", "outcomes", "comments":
		if m[2] != "" {
			return "t-" + m[2]
		}
	case "sections":
		return f.sectionKey(m[2])
	}
	return ""
}

// sectionKey returns the key of the row of section code.
func (f *editorForm) sectionKey(code string) string {
	for _, r := range f.Sections {
		if r.Code == code && !r.blank() {
			return "s" + strconv.Itoa(r.Index)
		}
	}
	return ""
}

// fieldAtLine returns the key of the form field written at line of data: a top-level field, a
// text by its id, a section row by its code.
func (f *editorForm) fieldAtLine(data []byte, line int) string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return ""
	}
	top := doc.Content[0]
	idOf := func(n *yaml.Node, key string) string {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1].Value
			}
		}
		return ""
	}
	var found string
	var walk func(n *yaml.Node, field string)
	walk = func(n *yaml.Node, field string) {
		if found != "" {
			return
		}
		if n.Kind == yaml.MappingNode && n.Line == line {
			switch field {
			case "categories", "items", "satisfaction", "enps", "comments":
				found = "t-" + idOf(n, "id")
				return
			case "sections", "children":
				found = f.sectionKey(idOf(n, "code"))
				return
			}
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if n == top && (k.Line == line || v.Line == line) {
					switch k.Value {
					case "id", "year", "title", "period", "contact", "results":
						found = k.Value
						return
					}
				}
				walk(v, k.Value)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, field)
		}
	}
	walk(top, "")
	return found
}

// handleSurveyYAML serves GET /admin/surveys/{id}/questionnaire.yaml: the survey's
// questionnaire as a file, in any state — what the editor made, for those who prefer YAML.
func (s *Server) handleSurveyYAML(c echo.Context) error {
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	data, err := sv.Questionnaire.YAML()
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+sv.ID()+`.yaml"`)
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", data)
}

// handleSurveyReplace serves POST /admin/surveys/{id}/questionnaire (multipart: file): the
// draft's questionnaire replaced by an uploaded file, checked as on creation (file:line
// messages, nothing stored on an error) → 303 to the editor.
func (s *Server) handleSurveyReplace(c echo.Context) error {
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	q, err := uploadedQuestionnaire(c)
	if err == nil {
		err = s.store.UpdateDraft(sv.ID(), q)
	}
	switch code := survey.ErrorCode(err); code {
	case "":
		detail := treeChanges(sv.Questionnaire, q)
		if q.ID != sv.ID() {
			detail = "id " + sv.ID() + " → " + q.ID + "; " + detail
		}
		s.audit(c, "survey.edit", q.ID, "upload; "+detail)
		return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+q.ID+"/edit?saved=1")
	case survey.EINVALID, survey.ECONFLICT, survey.ESTATE:
		p, perr := s.editorPageOf(sv, formOf(sv.Questionnaire))
		if perr != nil {
			return perr
		}
		msg := survey.ErrorMessage(err)
		p.Error = &msg
		return s.render(c, page.StatusOf[code], "admin_survey_edit.html", p)
	}
	return err
}

// uploadedQuestionnaire parses the form's file field.
func uploadedQuestionnaire(c echo.Context) (*survey.Questionnaire, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return nil, survey.Errorf(survey.EINVALID, "調査票のファイルを選んでください。", "Choose a questionnaire file to upload.")
	}
	return readQuestionnaire(fh)
}

// readQuestionnaire parses an uploaded questionnaire file, named by its base name (a Windows
// browser may send the whole path) in its errors, refusing one over the size limit.
func readQuestionnaire(fh *multipart.FileHeader) (*survey.Questionnaire, error) {
	name := path.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if fh.Size > survey.MaxQuestionnaireSize {
		return nil, survey.Errorf(survey.EINVALID, "%s: ファイルが大きすぎます（上限 1 MiB）", "%s: file too large (limit 1 MiB)", name)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, survey.MaxQuestionnaireSize+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return survey.Parse(name, data)
}

// handleSurveyPreview serves GET /admin/surveys/{id}/preview?section=CODE: the answer page of
// the survey's questionnaire as staff will see it (default: its first leaf section), marked
// プレビュー, without a token and without a way to send (answer.Server.Preview).
func (s *Server) handleSurveyPreview(c echo.Context) error {
	if s.cfg.Preview == nil {
		return echo.ErrNotFound
	}
	sv, err := s.store.Survey(c.Param("id"))
	if err != nil {
		return err
	}
	q := sv.Questionnaire
	section := c.QueryParam("section")
	if !q.IsLeaf(section) {
		section = q.Leaves()[0]
	}
	return s.cfg.Preview(c, q, section, "/admin/surveys/"+sv.ID()+"/edit")
}

// copyOf returns q copied as survey id of year: its title's year and its period moved to the
// new year, everything else — questions, scale, thresholds, attributes, places, sections with
// their codes — as it is, for the editor to change.
func copyOf(q *survey.Questionnaire, id string, year int) (*survey.Questionnaire, error) {
	c, err := cloneQuestionnaire(q)
	if err != nil {
		return nil, err
	}
	c.ID, c.Year = id, year
	if old, now := strconv.Itoa(q.Year), strconv.Itoa(year); old != now {
		c.Title.JA = strings.ReplaceAll(c.Title.JA, old, now)
		c.Title.EN = strings.ReplaceAll(c.Title.EN, old, now)
	}
	if p := c.Period; p != nil {
		opens, closes := p.Dates()
		if !opens.IsZero() && !closes.IsZero() {
			p.Opens = opens.AddDate(year-q.Year, 0, 0).Format(survey.DateLayout)
			p.Closes = closes.AddDate(year-q.Year, 0, 0).Format(survey.DateLayout)
		}
	}
	return c, nil
}

// suggestedID is the id a copy of survey id of year gets for newYear: the year in it replaced,
// else the year added.
func suggestedID(id string, year, newYear int) string {
	if old := strconv.Itoa(year); strings.Contains(id, old) {
		return strings.ReplaceAll(id, old, strconv.Itoa(newYear))
	}
	return id + "-" + strconv.Itoa(newYear)
}

// handleSurveyCopy serves POST /admin/surveys/copy (from, id, year; id and year default to
// the next year's): a new draft survey copied from survey from (copyOf), written as a
// questionnaire file and read back like an upload → 303 to its editor. A taken id or a bad
// field re-renders the new-survey page with 422/409, the fields kept, nothing stored.
func (s *Server) handleSurveyCopy(c echo.Context) error {
	p, err := s.newSurveyPage()
	if err != nil {
		return err
	}
	p.CopyFrom, p.CopyID, p.CopyYear = c.FormValue("from"), strings.TrimSpace(c.FormValue("id")), strings.TrimSpace(c.FormValue("year"))
	fail := func(err error) error {
		if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.ECONFLICT || code == survey.ENOTFOUND {
			msg := survey.ErrorMessage(err)
			p.CopyError = &msg
			status := page.StatusOf[code]
			if code == survey.ENOTFOUND {
				status = http.StatusUnprocessableEntity
			}
			return s.render(c, status, "admin_survey_new.html", p)
		}
		return err
	}
	sv, err := s.store.Survey(p.CopyFrom)
	if err != nil {
		return fail(err)
	}
	year := sv.Questionnaire.Year + 1
	if p.CopyYear != "" {
		if year, err = strconv.Atoi(p.CopyYear); err != nil {
			return fail(survey.Errorf(survey.EINVALID, "年度は西暦4桁の数字で入力してください（%q）", "the year must be a four-digit number (%q)", p.CopyYear))
		}
	}
	id := p.CopyID
	if id == "" {
		id = suggestedID(sv.ID(), sv.Questionnaire.Year, year)
	}
	q, err := copyOf(sv.Questionnaire, id, year)
	if err != nil {
		return err
	}
	data, err := q.YAML()
	if err != nil {
		return err
	}
	name := "questionnaire.yaml"
	if fileName.MatchString(id + ".yaml") {
		name = id + ".yaml"
	}
	if q, err = survey.Parse(name, data); err != nil {
		return fail(err)
	}
	if err := s.store.CreateSurvey(q); err != nil {
		return fail(err)
	}
	s.log.Info("survey copied", "survey", q.ID, "from", sv.ID())
	s.audit(c, "survey.copy", q.ID, "from "+sv.ID())
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+q.ID+"/edit")
}

// label names the form field of key as the form labels it.
func (f *editorForm) label(key string) *survey.Text {
	fixed := map[string]survey.Text{
		"id": {JA: "調査 ID", EN: "Survey id"}, "year": {JA: "年度", EN: "Year"}, "title": {JA: "調査名", EN: "Title"},
		"period": {JA: "回答期間", EN: "Period"}, "contact": {JA: "問い合わせ先", EN: "Contact"}, "results": {JA: "結果の公表について", EN: "Results note"},
	}
	if t, ok := fixed[key]; ok {
		return &t
	}
	for _, p := range f.Parts {
		for _, r := range p.Texts {
			if key == "t-"+r.ID {
				t := survey.Text{JA: p.Title.JA + " › " + r.Label.JA, EN: p.Title.In("en") + " › " + r.Label.EN}
				return &t
			}
		}
	}
	for _, r := range f.Sections {
		if key == "s"+strconv.Itoa(r.Index) {
			name := r.WasJA
			if r.New {
				name = r.JA
			}
			t := survey.Text{JA: "所属「" + name + "」", EN: "Section “" + name + "”"}
			return &t
		}
	}
	return nil
}
