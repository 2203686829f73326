package survey

import "fmt"

// Attribute is a question about who answers (属性: 職層, 年代, 雇用形態…), asked on the first
// page and always answerable 「回答しない」. Each option is a group of the whole organisation in
// the reports (docs/analysis.md, "Attributes"); a respondent who does not state an attribute
// belongs to none of its groups.
type Attribute struct {
	ID      string   `yaml:"id" json:"id"`
	Title   Text     `yaml:"title" json:"title"`
	Options []Option `yaml:"options" json:"options"`
	Line    int      `yaml:"-" json:"-"`
}

// Option is one answer to an Attribute.
type Option struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	Line  int    `yaml:"-" json:"-"`
}

// Limits of the attributes block (docs/formats.md).
const (
	MaxAttributes = 5
	MinOptions    = 2
	MaxOptions    = 10
)

// AttrColumnPrefix starts the import column of an attribute: attr:<attribute id>.
const AttrColumnPrefix = "attr:"

// Attribute returns the attribute with id and its index, or ok false.
func (q *Questionnaire) Attribute(id string) (a *Attribute, index int, ok bool) {
	for i := range q.Attributes {
		if q.Attributes[i].ID == id {
			return &q.Attributes[i], i, true
		}
	}
	return nil, -1, false
}

// HasAttributes reports whether q asks attributes: such a survey keeps sums, not response
// records, after close (docs/anonymity.md).
func (q *Questionnaire) HasAttributes() bool { return len(q.Attributes) > 0 }

// OptionIndex returns the index of option id of attribute a, or −1.
func (a *Attribute) OptionIndex(id string) int {
	for i, o := range a.Options {
		if o.ID == id {
			return i
		}
	}
	return -1
}

// validateAttributes checks the attributes block: at most MaxAttributes, ids that are valid and
// unique among the attributes (attribute ids live in their own attr: namespace, so they may
// equal an item id), 2–10 options each with ids unique within their attribute, texts in Japanese.
func (v *validator) attributes(as []Attribute) {
	if len(as) > MaxAttributes {
		v.add(as[MaxAttributes].Line, "attributes", fmt.Sprintf("attributes は %d 個までです（%d 個あります）", MaxAttributes, len(as)),
			fmt.Sprintf("at most %d attributes (there are %d)", MaxAttributes, len(as)))
	}
	seen := map[string]bool{}
	for _, a := range as {
		field := "attributes." + a.ID
		switch {
		case !idPattern.MatchString(a.ID):
			v.add(a.Line, "attributes.id", fmt.Sprintf("id %q は英小文字・数字・ハイフンのみで指定してください", a.ID), fmt.Sprintf("id %q must match [a-z0-9-]+", a.ID))
		case seen[a.ID]:
			v.add(a.Line, "attributes.id", fmt.Sprintf("属性 id %q が重複しています", a.ID), fmt.Sprintf("duplicate attribute id %q", a.ID))
		}
		seen[a.ID] = true
		v.text(a.Line, field+".title", a.Title)
		if n := len(a.Options); n < MinOptions || n > MaxOptions {
			v.add(a.Line, field+".options", fmt.Sprintf("選択肢は %d〜%d 個にしてください（%d 個あります）", MinOptions, MaxOptions, n),
				fmt.Sprintf("an attribute needs %d to %d options (it has %d)", MinOptions, MaxOptions, n))
		}
		opts := map[string]bool{}
		for _, o := range a.Options {
			switch {
			case !idPattern.MatchString(o.ID):
				v.add(o.Line, field+".options.id", fmt.Sprintf("id %q は英小文字・数字・ハイフンのみで指定してください", o.ID), fmt.Sprintf("id %q must match [a-z0-9-]+", o.ID))
			case opts[o.ID]:
				v.add(o.Line, field+".options.id", fmt.Sprintf("選択肢 id %q が重複しています", o.ID), fmt.Sprintf("duplicate option id %q", o.ID))
			}
			opts[o.ID] = true
			v.text(o.Line, field+".options."+o.ID+".label", o.Label)
		}
	}
}
