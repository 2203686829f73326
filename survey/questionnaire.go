package survey

import (
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// Text is a text in Japanese and English. Japanese is required; English falls back to it.
type Text struct {
	JA string `yaml:"ja" json:"ja"`
	EN string `yaml:"en,omitempty" json:"en,omitempty"`
}

// In returns the text in lang ("ja" or "en"), falling back to Japanese.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.JA
}

// Texts is a list of texts in Japanese and English, such as the scale labels.
type Texts struct {
	JA []string `yaml:"ja" json:"ja"`
	EN []string `yaml:"en,omitempty" json:"en,omitempty"`
}

// In returns the list in lang, falling back to Japanese.
func (t Texts) In(lang string) []string {
	if lang == "en" && len(t.EN) == len(t.JA) {
		return t.EN
	}
	return t.JA
}

// Scale is the Likert scale of every item and of the satisfaction outcome.
type Scale struct {
	Points        int   `yaml:"points" json:"points"`
	Labels        Texts `yaml:"labels" json:"labels"`
	NotApplicable Text  `yaml:"not_applicable" json:"not_applicable"`
}

// Anonymity holds the small-group thresholds of a survey (docs/anonymity.md and docs/analysis.md, "Suppression").
type Anonymity struct {
	MinGroupSize        int `yaml:"min_group_size" json:"min_group_size"`
	MinCommentGroupSize int `yaml:"min_comment_group_size" json:"min_comment_group_size"`
	// CommentReview says which comments wait for a person before they are shown (review.go).
	CommentReview string `yaml:"comment_review,omitempty" json:"comment_review,omitempty"`
}

// Activity holds the settings of 組織活性度.
type Activity struct {
	// Cutoff is the score on 0–100 from which an axis counts as high.
	Cutoff float64 `yaml:"cutoff" json:"cutoff"`
}

// Axes of 組織活性度.
const (
	AxisMotivation = "motivation"
	AxisCohesion   = "cohesion"
)

// Item is one Likert statement.
type Item struct {
	ID      string `yaml:"id" json:"id"`
	Text    Text   `yaml:"text" json:"text"`
	Reverse bool   `yaml:"reverse,omitempty" json:"reverse,omitempty"`
	Line    int    `yaml:"-" json:"-"`
}

// Category groups items into one score.
type Category struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
	// Short is an optional short title for narrow places (chart axes, phone cards); see
	// ShortTitle for the one generated when it is empty.
	Short Text   `yaml:"short,omitempty" json:"short,omitzero"`
	Axis  string `yaml:"axis,omitempty" json:"axis,omitempty"`
	Items []Item `yaml:"items" json:"items"`
	Line  int    `yaml:"-" json:"-"`
}

// Outcome is a single-question outcome: satisfaction (Likert) or eNPS (0–10).
type Outcome struct {
	ID   string `yaml:"id" json:"id"`
	Text Text   `yaml:"text" json:"text"`
	Line int    `yaml:"-" json:"-"`
}

// Outcomes are the optional outcome questions.
type Outcomes struct {
	Satisfaction *Outcome `yaml:"satisfaction,omitempty" json:"satisfaction,omitempty"`
	ENPS         *Outcome `yaml:"enps,omitempty" json:"enps,omitempty"`
}

// Comment is a free-text question.
type Comment struct {
	ID        string `yaml:"id" json:"id"`
	Text      Text   `yaml:"text" json:"text"`
	MaxLength int    `yaml:"max_length" json:"max_length"`
	Line      int    `yaml:"-" json:"-"`
}

// Section is a node of the organisation tree (課, with 担当 below). Only leaves get tokens.
type Section struct {
	Code     string    `yaml:"code" json:"code"`
	Name     Text      `yaml:"name" json:"name"`
	Short    Text      `yaml:"short,omitempty" json:"short,omitzero"` // optional, as Category.Short
	Children []Section `yaml:"children,omitempty" json:"children,omitempty"`
	Line     int       `yaml:"-" json:"-"`
}

// Period is when a survey takes answers, as calendar dates (YYYY-MM-DD, both days included).
// It tells staff the deadline — on the first page, the thank-you page, error pages and the
// printed slips — and decides nothing: opening and closing stay the survey office's acts.
type Period struct {
	Opens  string `yaml:"opens" json:"opens"`
	Closes string `yaml:"closes" json:"closes"`
	Line   int    `yaml:"-" json:"-"`
}

// DateLayout is the layout of the dates of a Period.
const DateLayout = "2006-01-02"

// Dates returns the first and the last day of p. They are zero when p was not validated.
func (p *Period) Dates() (opens, closes time.Time) {
	opens, _ = time.Parse(DateLayout, p.Opens)
	closes, _ = time.Parse(DateLayout, p.Closes)
	return opens, closes
}

// Root is the code of the implicit root of every organisation tree: the whole organisation.
const Root = "all"

// Defaults of a questionnaire file (docs/formats.md).
const (
	DefaultMinGroupSize     = 10
	DefaultCommentGroupSize = 10
	DefaultCutoff           = 62.5
	// MinAllowedGroupSize is the lowest min_group_size a file may set.
	MinAllowedGroupSize = 5
	// DefaultCommentLength is the max_length of a comment that sets none.
	DefaultCommentLength = 2000
)

// Questionnaire is one survey year's questionnaire: questions, scale, anonymity settings and
// the organisation tree. Its ID is the survey id. A stored one changes only while its survey
// is a draft, and then as a whole (storage.UpdateDraft): a *Questionnaire is never modified in
// place once validated.
type Questionnaire struct {
	ID         string     `yaml:"id" json:"id"`
	Year       int        `yaml:"year" json:"year"`
	Title      Text       `yaml:"title" json:"title"`
	Scale      Scale      `yaml:"scale" json:"scale"`
	Anonymity  Anonymity  `yaml:"anonymity" json:"anonymity"`
	Activity   Activity   `yaml:"activity" json:"activity"`
	Categories []Category `yaml:"categories" json:"categories"`
	Outcomes   Outcomes   `yaml:"outcomes" json:"outcomes"`
	Comments   []Comment  `yaml:"comments" json:"comments"`
	// Attributes are asked on the first page (attribute.go); at most MaxAttributes.
	Attributes []Attribute `yaml:"attributes,omitempty" json:"attributes,omitempty"`
	Sections   []Section   `yaml:"sections" json:"sections"`
	// Places are the ward's own place names, which the name finder reads as places, not
	// surnames (review.go).
	Places []Place `yaml:"places,omitempty" json:"places,omitempty"`
	// Period, Contact and Results are optional texts for staff: when answers are taken, whom
	// to ask (e.g. 総務課 人事担当 内線1234), and when and how results are shared.
	Period  *Period `yaml:"period,omitempty" json:"period,omitempty"`
	Contact *Text   `yaml:"contact,omitempty" json:"contact,omitempty"`
	Results *Text   `yaml:"results,omitempty" json:"results,omitempty"`
	// contactLine and resultsLine are the lines of contact and results in the file, for messages.
	contactLine, resultsLine int

	tree *Tree // built by Freeze; see OrgTree
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Items returns every Likert item of the categories in file order. A Response's Answers are
// indexed the same way.
func (q *Questionnaire) Items() []Item {
	var items []Item
	for _, c := range q.Categories {
		items = append(items, c.Items...)
	}
	return items
}

// QuestionIDs returns the id of every question in page and CSV order: the items, the
// satisfaction outcome, the eNPS outcome, the comments.
func (q *Questionnaire) QuestionIDs() []string {
	var ids []string
	for _, it := range q.Items() {
		ids = append(ids, it.ID)
	}
	for _, o := range []*Outcome{q.Outcomes.Satisfaction, q.Outcomes.ENPS} {
		if o != nil {
			ids = append(ids, o.ID)
		}
	}
	for _, c := range q.Comments {
		ids = append(ids, c.ID)
	}
	return ids
}

// NumItems returns len(q.Items()) without building the slice.
func (q *Questionnaire) NumItems() int {
	n := 0
	for _, c := range q.Categories {
		n += len(c.Items)
	}
	return n
}

// FlatSection is a section of the tree in pre-order, with its parent and depth.
type FlatSection struct {
	Code   string
	Name   Text
	Short  Text   // the file's short name, or one generated from Name (ShortName)
	Parent string // "" for the root
	Depth  int    // 0 for the root
	Leaf   bool
}

// Tree returns the organisation tree in pre-order, starting with the root "all"
// (children in file order). Analysis and reports list groups in this order. The slice is
// shared: callers must not modify it.
func (q *Questionnaire) Tree() []FlatSection { return q.OrgTree().Nodes }

// OrgTree returns the indexed organisation tree: built once by Freeze (a stored questionnaire
// is immutable), or on every call for a questionnaire that was never frozen.
func (q *Questionnaire) OrgTree() *Tree {
	if q.tree != nil {
		return q.tree
	}
	return newTree(q.Sections)
}

// Section returns the flattened section with the given code (including the root).
func (q *Questionnaire) Section(code string) (FlatSection, bool) {
	t := q.OrgTree()
	if i, ok := t.Index(code); ok {
		return t.Nodes[i], true
	}
	return FlatSection{}, false
}

// SectionName returns the name of section code in lang ("ja" or "en"), or "" when q has no
// such section.
func (q *Questionnaire) SectionName(code, lang string) string {
	fs, ok := q.Section(code)
	if !ok {
		return ""
	}
	return fs.Name.In(lang)
}

// Leaves returns the codes of the leaf sections in pre-order: the sections tokens are issued for.
func (q *Questionnaire) Leaves() []string {
	var out []string
	for _, s := range q.Tree()[1:] {
		if s.Leaf {
			out = append(out, s.Code)
		}
	}
	return out
}

// IsLeaf reports whether code is a leaf section of the tree.
func (q *Questionnaire) IsLeaf(code string) bool {
	s, ok := q.Section(code)
	return ok && s.Code != Root && s.Leaf
}

// SetDefaults fills the fields a file may leave out (docs/formats.md).
func (q *Questionnaire) SetDefaults() {
	if q.Anonymity.MinGroupSize == 0 {
		q.Anonymity.MinGroupSize = DefaultMinGroupSize
	}
	if q.Anonymity.MinCommentGroupSize == 0 {
		q.Anonymity.MinCommentGroupSize = DefaultCommentGroupSize
	}
	if q.Activity.Cutoff == 0 {
		q.Activity.Cutoff = DefaultCutoff
	}
	if q.Anonymity.CommentReview == "" {
		q.Anonymity.CommentReview = ReviewAll
	}
	for i := range q.Comments {
		if q.Comments[i].MaxLength == 0 {
			q.Comments[i].MaxLength = DefaultCommentLength
		}
	}
}

// Validate checks the rules of docs/formats.md. Its error names the line of the offending
// element when the questionnaire came from a file.
func (q *Questionnaire) Validate() error {
	v := &validator{}
	if !idPattern.MatchString(q.ID) {
		v.add(0, "id", "id は英小文字・数字・ハイフンのみで指定してください", "id must match [a-z0-9-]+")
	}
	if q.Year < 1900 || q.Year > 9999 {
		v.add(0, "year", "year は西暦4桁で指定してください", "year must be a four-digit year")
	}
	v.text(0, "title", q.Title)
	p := q.Scale.Points
	if p < 2 || p > 11 {
		v.add(0, "scale.points", "scale.points は 2〜11 で指定してください", "scale.points must be between 2 and 11")
	}
	if len(q.Scale.Labels.JA) != p {
		v.add(0, "scale.labels.ja", fmt.Sprintf("ラベルの数 (%d) が points (%d) と一致しません", len(q.Scale.Labels.JA), p),
			fmt.Sprintf("%d labels for %d points", len(q.Scale.Labels.JA), p))
	}
	if n := len(q.Scale.Labels.EN); n != 0 && n != p {
		v.add(0, "scale.labels.en", fmt.Sprintf("英語ラベルの数 (%d) が points (%d) と一致しません", n, p),
			fmt.Sprintf("%d English labels for %d points", n, p))
	}
	v.text(0, "scale.not_applicable", q.Scale.NotApplicable)
	if p := q.Period; p != nil {
		opens, err1 := time.Parse(DateLayout, p.Opens)
		closes, err2 := time.Parse(DateLayout, p.Closes)
		switch {
		case err1 != nil:
			v.add(p.Line, "period.opens", fmt.Sprintf("日付 %q は YYYY-MM-DD の形で指定してください", p.Opens), fmt.Sprintf("date %q must be YYYY-MM-DD", p.Opens))
		case err2 != nil:
			v.add(p.Line, "period.closes", fmt.Sprintf("日付 %q は YYYY-MM-DD の形で指定してください", p.Closes), fmt.Sprintf("date %q must be YYYY-MM-DD", p.Closes))
		case closes.Before(opens):
			v.add(p.Line, "period", fmt.Sprintf("終了日 %s が開始日 %s より前です", p.Closes, p.Opens), fmt.Sprintf("closes %s is before opens %s", p.Closes, p.Opens))
		}
	}
	if q.Contact != nil {
		v.text(q.contactLine, "contact", *q.Contact)
	}
	if q.Results != nil {
		v.text(q.resultsLine, "results", *q.Results)
	}
	if q.Anonymity.MinGroupSize < MinAllowedGroupSize {
		v.add(0, "anonymity.min_group_size", fmt.Sprintf("min_group_size は %d 以上にしてください（匿名性の保護）", MinAllowedGroupSize),
			fmt.Sprintf("min_group_size must be at least %d to keep respondents anonymous", MinAllowedGroupSize))
	}
	if q.Anonymity.MinCommentGroupSize < MinAllowedGroupSize {
		v.add(0, "anonymity.min_comment_group_size", fmt.Sprintf("min_comment_group_size は %d 以上にしてください（匿名性の保護）", MinAllowedGroupSize),
			fmt.Sprintf("min_comment_group_size must be at least %d to keep respondents anonymous", MinAllowedGroupSize))
	}
	q.validateReview(v)
	if q.Activity.Cutoff <= 0 || q.Activity.Cutoff >= 100 {
		v.add(0, "activity.cutoff", "activity.cutoff は 0 より大きく 100 より小さい値にしてください", "activity.cutoff must be between 0 and 100")
	}
	// Reserved: the CSV's own columns (docs/formats.md) and the answer form's token and language fields.
	ids := map[string]bool{"survey": true, "year": true, "section": true, "t": true, "lang": true}
	unique := func(line int, field, id string) {
		if !idPattern.MatchString(id) {
			v.add(line, field, fmt.Sprintf("id %q は英小文字・数字・ハイフンのみで指定してください", id), fmt.Sprintf("id %q must match [a-z0-9-]+", id))
			return
		}
		if ids[id] {
			v.add(line, field, fmt.Sprintf("id %q が重複しているか予約語です（survey, year, section, t, lang は使えません）", id),
				fmt.Sprintf("id %q is a duplicate or reserved (survey, year, section, t, lang)", id))
		}
		ids[id] = true
	}
	if len(q.Categories) == 0 {
		v.add(0, "categories", "categories がありません", "no categories")
	}
	axes := map[string]bool{}
	for _, c := range q.Categories {
		unique(c.Line, "categories.id", c.ID)
		v.text(c.Line, "categories."+c.ID+".title", c.Title)
		v.short(c.Line, "categories."+c.ID+".short", c.Short)
		switch c.Axis {
		case "", AxisMotivation, AxisCohesion:
			axes[c.Axis] = true
		default:
			v.add(c.Line, "categories."+c.ID+".axis", fmt.Sprintf("axis %q は motivation か cohesion で指定してください", c.Axis),
				fmt.Sprintf("axis %q must be motivation or cohesion", c.Axis))
		}
		if len(c.Items) == 0 {
			v.add(c.Line, "categories."+c.ID+".items", "設問がありません", "category has no items")
		}
		for _, it := range c.Items {
			unique(it.Line, "items.id", it.ID)
			v.text(it.Line, "items."+it.ID+".text", it.Text)
		}
	}
	if !axes[AxisMotivation] || !axes[AxisCohesion] {
		v.add(0, "categories.axis", "組織活性度には axis: motivation と axis: cohesion のカテゴリが各1つ以上必要です",
			"組織活性度 needs at least one category with axis motivation and one with axis cohesion")
	}
	for _, o := range []*Outcome{q.Outcomes.Satisfaction, q.Outcomes.ENPS} {
		if o != nil {
			unique(o.Line, "outcomes.id", o.ID)
			v.text(o.Line, "outcomes."+o.ID+".text", o.Text)
		}
	}
	for _, c := range q.Comments {
		unique(c.Line, "comments.id", c.ID)
		v.text(c.Line, "comments."+c.ID+".text", c.Text)
		if c.MaxLength < 1 || c.MaxLength > 20000 {
			v.add(c.Line, "comments."+c.ID+".max_length", "max_length は 1〜20000 で指定してください", "max_length must be between 1 and 20000")
		}
	}
	v.attributes(q.Attributes)
	codes := map[string]bool{Root: true}
	var walk func(ss []Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			if !idPattern.MatchString(s.Code) {
				v.add(s.Line, "sections.code", fmt.Sprintf("code %q は英小文字・数字・ハイフンのみで指定してください", s.Code), fmt.Sprintf("code %q must match [a-z0-9-]+", s.Code))
			} else if codes[s.Code] {
				v.add(s.Line, "sections.code", fmt.Sprintf("code %q が重複しています（all は予約語）", s.Code), fmt.Sprintf("duplicate section code %q (all is reserved)", s.Code))
			}
			codes[s.Code] = true
			v.text(s.Line, "sections."+s.Code+".name", s.Name)
			v.short(s.Line, "sections."+s.Code+".short", s.Short)
			walk(s.Children)
		}
	}
	walk(q.Sections)
	if len(q.Sections) == 0 {
		v.add(0, "sections", "sections がありません", "no sections")
	}
	if err := v.err(); err != nil {
		return err
	}
	q.Freeze()
	return nil
}

// Freeze builds what a questionnaire derives from its fields once (the indexed tree of
// OrgTree), for a questionnaire that will not change again: Validate calls it, and so does
// the store for a questionnaire it reads back. Changing the sections afterwards is a bug.
func (q *Questionnaire) Freeze() { q.tree = newTree(q.Sections) }

// validator collects the first problem of a questionnaire with its line.
type validator struct{ first *Error }

func (v *validator) add(line int, field, ja, en string) {
	if v.first != nil {
		return
	}
	where := ""
	if line > 0 {
		where = fmt.Sprintf("%d: ", line)
	}
	v.first = Errorf(EINVALID, "%s%s: %s", "%s%s: %s", where, field, ja)
	v.first.Message.EN = fmt.Sprintf("%s%s: %s", where, field, en)
}

func (v *validator) text(line int, field string, t Text) {
	if t.JA == "" {
		v.add(line, field+".ja", "日本語の文言がありません", "the Japanese text is missing")
	}
}

// short checks an optional short name: Japanese when English is given, and short.
func (v *validator) short(line int, field string, t Text) {
	if t == (Text{}) {
		return
	}
	v.text(line, field, t)
	if utf8.RuneCountInString(t.JA) > MaxShortJA || utf8.RuneCountInString(t.EN) > MaxShortEN {
		v.add(line, field, fmt.Sprintf("short は日本語 %d 文字、英語 %d 文字までにしてください", MaxShortJA, MaxShortEN),
			fmt.Sprintf("short must be at most %d characters in Japanese and %d in English", MaxShortJA, MaxShortEN))
	}
}

func (v *validator) err() error {
	if v.first == nil {
		return nil
	}
	return v.first
}
