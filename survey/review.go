package survey

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Comment review (docs/anonymity.md, "Comments are read before they are shown"): a comment of
// a closed survey is shown, exported or counted in a theme only after a person decided it.
// A heuristic that looks for names misses some; a person reading every comment does not, so
// that is the default, and trusting the heuristic alone is a choice a questionnaire must state.
const (
	// ReviewAll (the default): every comment waits for a person's decision.
	ReviewAll = "all"
	// ReviewFlagged: only the comments the name finder flags wait; the others are shown as
	// written. The admin pages warn about it.
	ReviewFlagged = "flagged"
)

// A person's decisions on a comment waiting for review.
const (
	DecidePublish  = "publish"  // shown as written
	DecideWithhold = "withhold" // never shown, nor counted in a theme
	DecideRedacted = "redacted" // the text a redaction left: shown
)

// MaxPlaces bounds the places: list; MaxPlaceLength a place's length in characters.
const (
	MaxPlaces      = 500
	MaxPlaceLength = 20
)

// Place is one of the ward's place names (梅田, 中之島): the name finder reads it as a place,
// not as a surname, unless an honorific or a title follows it (梅田さん). In the file it is a
// plain string; Line is where it stands, for messages.
type Place struct {
	Name string
	Line int
}

// UnmarshalYAML reads a place from a string and remembers its line.
func (p *Place) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a place must be a string", n.Line)
	}
	p.Name, p.Line = strings.TrimSpace(n.Value), n.Line
	return nil
}

// MarshalJSON writes a place as its name (the stored questionnaire).
func (p Place) MarshalJSON() ([]byte, error) { return json.Marshal(p.Name) }

// UnmarshalJSON reads a place written by MarshalJSON.
func (p *Place) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &p.Name) }

// PlaceNames returns the names of the questionnaire's places.
func (q *Questionnaire) PlaceNames() []string {
	out := make([]string, len(q.Places))
	for i, p := range q.Places {
		out[i] = p.Name
	}
	return out
}

// ReviewsAll reports whether every comment waits for a person (comment_review: all).
func (q *Questionnaire) ReviewsAll() bool { return q.Anonymity.CommentReview != ReviewFlagged }

// validateReview checks anonymity.comment_review and places.
func (q *Questionnaire) validateReview(v *validator) {
	switch q.Anonymity.CommentReview {
	case "", ReviewAll, ReviewFlagged: // "" is all: a questionnaire built in code, not through SetDefaults
	default:
		v.add(0, "anonymity.comment_review", fmt.Sprintf("comment_review %q は all か flagged で指定してください", q.Anonymity.CommentReview),
			fmt.Sprintf("comment_review %q must be all or flagged", q.Anonymity.CommentReview))
	}
	if len(q.Places) > MaxPlaces {
		v.add(q.Places[MaxPlaces].Line, "places", fmt.Sprintf("places は %d 件までにしてください", MaxPlaces),
			fmt.Sprintf("at most %d places", MaxPlaces))
	}
	seen := map[string]bool{}
	for _, p := range q.Places {
		switch n := utf8.RuneCountInString(p.Name); {
		case n == 0:
			v.add(p.Line, "places", "地名が空です", "a place is empty")
		case n > MaxPlaceLength || !utf8.ValidString(p.Name) || strings.ContainsAny(p.Name, " 　\t\r\n"):
			v.add(p.Line, "places", fmt.Sprintf("地名 %q は空白を含まない %d 文字以内の語にしてください", p.Name, MaxPlaceLength),
				fmt.Sprintf("place %q must be one word of at most %d characters", p.Name, MaxPlaceLength))
		case seen[p.Name]:
			v.add(p.Line, "places", fmt.Sprintf("地名 %q が重複しています", p.Name), fmt.Sprintf("duplicate place %q", p.Name))
		}
		seen[p.Name] = true
	}
}
