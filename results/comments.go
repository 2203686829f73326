package results

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"sync"

	"staffsurvey/analysis"
	"staffsurvey/jatext"
	"staffsurvey/survey"
)

// Comments are read by a person before they are shown (docs/anonymity.md, "Names in
// comments"): under comment_review: all, the default, every comment of a closed survey waits
// for a decision — publish, redact (hide words) or withhold — and appears on no page, in no
// theme and in no export until it has one; under comment_review: flagged, only those jatext
// finds a name in wait. The store keeps the decisions, by survey.CommentID, and does the
// redactions. A name in a comment names its writer's colleague and, through them, a small
// team: the group rules alone cannot protect it.

// screen decides which comments of one survey revision may be shown.
type screen struct {
	q       *survey.Questionnaire
	decided map[string]string // survey.CommentID → survey.Decide…
	finder  *jatext.Finder
	named   *nameMemo
	salt    string // the memo's key prefix for this survey's places
}

// nameMemo remembers which texts contain a name (jatext.Finder.Names): the analysis is slow,
// texts repeat, and whether a text names someone never changes — a revision (an admin's
// decision) does not make it analyse them again. It keeps hashes, not texts, so that a
// redacted original does not live on in the server's memory.
type nameMemo struct {
	mu    sync.Mutex
	named map[[sha256.Size]byte]bool
}

// screen returns the screen of survey sv at its revision.
func (s *Service) screen(sv *survey.Survey) (*screen, error) {
	return s.screens.get(sv.ID(), sv.Revision, func() (*screen, error) {
		// A new revision: the comments kept for the one before (perhaps with a name since
		// redacted) go.
		s.comments.dropStale(sv.ID()+"\x00", sv.Revision)
		s.themes.dropStale(sv.ID()+"\x00", sv.Revision)
		s.compared.dropStale(sv.ID()+"\x00", sv.Revision)
		decided, err := s.store.Decisions(sv.ID())
		places := sv.Questionnaire.PlaceNames()
		return &screen{q: sv.Questionnaire, decided: decided, finder: jatext.NewFinder(places),
			named: &s.named, salt: strings.Join(places, "\x00") + "\x01"}, err
	})
}

// key is the memo's key of text for a finder whose places are salt.
func memoKey(salt, text string) [sha256.Size]byte { return sha256.Sum256([]byte(salt + text)) }

// names reports whether text contains a name.
func (sc *screen) names(text string) bool {
	m := sc.named
	m.mu.Lock()
	named, ok := m.named[memoKey(sc.salt, text)]
	m.mu.Unlock()
	if !ok {
		named = len(sc.finder.Names(text)) > 0
		m.put(sc.salt, []string{text}, []bool{named})
	}
	return named
}

func (m *nameMemo) put(salt string, texts []string, named []bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.named == nil {
		m.named = map[[sha256.Size]byte]bool{}
	}
	for i, t := range texts {
		m.named[memoKey(salt, t)] = named[i]
	}
}

// learn analyses the texts not known yet, on every CPU (jatext.Finder.Named).
func (sc *screen) learn(texts []string) {
	m := sc.named
	m.mu.Lock()
	var unknown []string
	for _, t := range texts {
		if _, ok := m.named[memoKey(sc.salt, t)]; !ok && t != "" {
			unknown = append(unknown, t)
		}
	}
	m.mu.Unlock()
	m.put(sc.salt, unknown, sc.finder.Named(unknown))
}

// decision returns the decision on the answer text to the question-th comment question, "" when
// none was made.
func (sc *screen) decision(question int, text string) string {
	return sc.decided[survey.CommentID(sc.q.Comments[question].ID, text)]
}

// shown reports whether the answer text to the question-th comment question may be shown: a
// person published it (or wrote it, redacting), or the survey reviews only what the finder
// flags and it flags nothing. A withheld comment is never shown.
func (sc *screen) shown(question int, text string) bool {
	if text == "" {
		return true
	}
	switch sc.decision(question, text) {
	case survey.DecidePublish, survey.DecideRedacted:
		return true
	case survey.DecideWithhold:
		return false
	}
	return !sc.q.ReviewsAll() && !sc.names(text)
}

// waiting reports whether the answer text waits for a person's decision.
func (sc *screen) waiting(question int, text string) bool {
	return !sc.shown(question, text) && sc.decision(question, text) == ""
}

type commentEntry struct {
	lists   []analysis.CommentList // shown comments only
	waiting Waiting                // comments waiting for a decision
	ok      bool
}

// Waiting counts the comments that wait for a person's decision, in the two units a reader
// meets: Distinct counts identical comments (the same text to the same question) once, as the
// review page lists them and as each takes one decision; Written counts them as the
// respondents wrote them. Every page says both when they differ.
type Waiting struct {
	Distinct, Written int
}

// Text says the count as every page shows it: 「8 件（回答 10 件分。同じ記述はまとめて数えます）」,
// or 「10 件」 when no two are identical.
func (w Waiting) Text() survey.Text {
	if w.Written == w.Distinct {
		return survey.Text{JA: fmt.Sprintf("%d 件", w.Distinct), EN: fmt.Sprintf("%d", w.Distinct)}
	}
	return survey.Text{JA: fmt.Sprintf("%d 件（回答 %d 件分。同じ記述はまとめて数えます）", w.Distinct, w.Written),
		EN: fmt.Sprintf("%d (%d as written; identical comments counted once)", w.Distinct, w.Written)}
}

// Comments returns the comments of section (survey.Root for the organisation) of closed
// survey id under docs/anonymity.md, rule 7, and whether the group may show comments at all;
// comments waiting for review (Flagged) are left out. The lists are shared with the cache:
// callers shuffle a copy (analysis.Shuffled).
func (s *Service) Comments(ctx context.Context, id, section string) (*survey.Survey, []analysis.CommentList, bool, error) {
	sv, e, err := s.groupComments(ctx, id, section)
	return sv, e.lists, e.ok, err
}

// Waiting returns how many comments of section of closed survey id wait for a person's
// decision and are not shown. For the organisation (survey.Root) it is what Review lists.
func (s *Service) Waiting(ctx context.Context, id, section string) (Waiting, error) {
	_, e, err := s.groupComments(ctx, id, section)
	return e.waiting, err
}

// Themes returns, per comment question, the frequent terms and compound nouns of the comments
// Comments gives for section (jatext.Themes): each theme's Texts index that list.
func (s *Service) Themes(ctx context.Context, id, section string) ([][]jatext.Theme, error) {
	sv, e, err := s.groupComments(ctx, id, section)
	if err != nil || !e.ok {
		return nil, err
	}
	return s.themes.get(id+"\x00"+section, sv.Revision, func() ([][]jatext.Theme, error) {
		out := make([][]jatext.Theme, len(e.lists))
		for i, l := range e.lists {
			out[i] = jatext.Themes(l.Texts, themeMinTexts, themeMax)
		}
		return out, nil
	})
}

// A theme is a term found in at least themeMinTexts comments; a page shows at most themeMax.
const (
	themeMinTexts = 2
	themeMax      = 30
)

func (s *Service) groupComments(ctx context.Context, id, section string) (*survey.Survey, commentEntry, error) {
	sv, err := s.Closed(id)
	if err != nil {
		return nil, commentEntry{}, err
	}
	if _, ok := sv.Questionnaire.Section(section); !ok {
		return nil, commentEntry{}, survey.Errorf(survey.ENOTFOUND, "所属 %q はこの調査にありません", "no section %q in this survey", section)
	}
	sc, err := s.screen(sv)
	if err != nil {
		return nil, commentEntry{}, err
	}
	e, err := s.comments.get(id+"\x00"+section, sv.Revision, func() (commentEntry, error) {
		lists, ok, err := s.collect(ctx, sv, section)
		if err != nil || !ok {
			return commentEntry{ok: ok}, err
		}
		e := commentEntry{ok: true}
		distinct := map[string]bool{}
		if !sv.Questionnaire.ReviewsAll() {
			for _, l := range lists {
				sc.learn(l.Texts)
			}
		}
		for i, l := range lists {
			shown := l.Texts[:0:0]
			for _, t := range l.Texts {
				switch {
				case sc.shown(i, t):
					shown = append(shown, t)
				case sc.waiting(i, t):
					e.waiting.Written++
					if cid := survey.CommentID(l.Question, t); !distinct[cid] {
						distinct[cid] = true
						e.waiting.Distinct++
					}
				}
			}
			e.lists = append(e.lists, analysis.CommentList{Question: l.Question, Texts: shown})
		}
		return e, nil
	})
	return sv, e, err
}

// collect gathers every comment of section of closed survey sv that rule 7 lets it show.
func (s *Service) collect(ctx context.Context, sv *survey.Survey, section string) ([]analysis.CommentList, bool, error) {
	id := sv.ID()
	own, err := s.store.SectionCounts(id)
	if err != nil {
		return nil, false, err
	}
	col := analysis.NewCommentCollector(sv.Questionnaire, section)
	if own != nil {
		col.SetSectionCounts(own)
	}
	err = s.each(ctx, id)(func(r *survey.Response) error {
		col.Add(r)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	err = s.store.EachComment(id, func(section string, question int, text string) error {
		col.AddApart(section, question, text)
		return nil
	})
	lists, ok := col.Result()
	return lists, ok, err
}

// Pending is a comment waiting for a person's decision: every comment not decided yet under
// comment_review: all, the finder's suspects under flagged.
type Pending struct {
	ID       string        `json:"id"`       // survey.CommentID
	Question string        `json:"question"` // the comment question's id
	Index    int           `json:"-"`        // the question's index in Questionnaire.Comments
	Text     string        `json:"text"`
	Names    []jatext.Span `json:"names"` // what the finder took for a name or a role, with why
	Count    int           `json:"count"` // how many respondents wrote exactly this
}

// Suspect reports whether the finder found a name or a role in the comment.
func (p Pending) Suspect() bool { return len(p.Names) > 0 }

// Review is the state of the review of a closed survey's comments.
type Review struct {
	Pending []Pending // waiting, the finder's suspects first, then by question, most written first
	Decided int       // distinct comments decided (published, redacted, withheld)
	Total   int       // distinct comments: Decided plus those pending
}

// Waiting counts the pending comments: distinct, and as written (each Pending's Count).
func (rv Review) Waiting() Waiting {
	w := Waiting{Distinct: len(rv.Pending)}
	for _, p := range rv.Pending {
		w.Written += p.Count
	}
	return w
}

// Review returns the comments of closed survey id that wait for a decision, and how far the
// review is. They are the comments the whole organisation would show (rule 7): when it may
// show none, there is nothing to review, for nothing of them is ever shown or exported.
func (s *Service) Review(ctx context.Context, id string) (*survey.Survey, Review, error) {
	sv, err := s.Closed(id)
	if err != nil {
		return nil, Review{}, err
	}
	sc, err := s.screen(sv)
	if err != nil {
		return nil, Review{}, err
	}
	lists, ok, err := s.collect(ctx, sv, survey.Root)
	if err != nil || !ok {
		return sv, Review{}, err
	}
	var rv Review
	at := map[string]int{}
	decided := map[string]bool{}
	var texts []string
	for _, l := range lists {
		texts = append(texts, l.Texts...)
	}
	sc.learn(texts)
	for i, l := range lists {
		for _, t := range l.Texts {
			if t == "" {
				continue
			}
			cid := survey.CommentID(l.Question, t)
			if !sc.waiting(i, t) {
				if sc.decision(i, t) != "" && !decided[cid] {
					decided[cid] = true
					rv.Decided++
				}
				continue
			}
			if j, ok := at[cid]; ok {
				rv.Pending[j].Count++
				continue
			}
			at[cid] = len(rv.Pending)
			p := Pending{ID: cid, Question: l.Question, Index: i, Text: t, Count: 1}
			if sc.names(t) {
				p.Names = sc.finder.Names(t)
			}
			rv.Pending = append(rv.Pending, p)
		}
	}
	slices.SortFunc(rv.Pending, func(a, b Pending) int {
		if a.Suspect() != b.Suspect() {
			if a.Suspect() {
				return -1
			}
			return 1
		}
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Text, b.Text)
	})
	rv.Total = rv.Decided + len(rv.Pending)
	return sv, rv, nil
}

// Flagged returns the comments of closed survey id that wait for a decision and in which the
// finder found a name or a role.
func (s *Service) Flagged(ctx context.Context, id string) (*survey.Survey, []Pending, error) {
	sv, rv, err := s.Review(ctx, id)
	var out []Pending
	for _, p := range rv.Pending {
		if p.Suspect() {
			out = append(out, p)
		}
	}
	return sv, out, err
}

// Redacted returns p's text with its names, and every occurrence of words, replaced by
// jatext.Redaction: what an admin's redaction stores.
func (p Pending) Redacted(words []string) string {
	return jatext.Redact(p.Text, append(slices.Clone(p.Names), jatext.Find(p.Text, words)...))
}

// PendingComment returns the comment with id commentID of closed survey id that waits for a
// decision.
func (s *Service) PendingComment(ctx context.Context, id, commentID string) (*survey.Survey, Pending, error) {
	sv, rv, err := s.Review(ctx, id)
	if err != nil {
		return nil, Pending{}, err
	}
	for _, p := range rv.Pending {
		if p.ID == commentID {
			return sv, p, nil
		}
	}
	return nil, Pending{}, survey.Errorf(survey.ENOTFOUND, "確認待ちの記述 %q はありません（すでに判断済みか、伏せられています）",
		"no comment %q waits for review (it may have been decided or redacted already)", commentID)
}
