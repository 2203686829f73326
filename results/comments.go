package results

import (
	"cmp"
	"context"
	"crypto/sha256"
	"slices"
	"sync"

	"staffsurvey/analysis"
	"staffsurvey/jatext"
	"staffsurvey/survey"
)

// Comments that may name a person (docs/anonymity.md, "Names in comments") are left out of
// every page and export until an admin reviews them: jatext finds the names, the store keeps
// the admin's marks and does the redactions. A name in a comment names its writer's colleague
// and, through them, a small team: the group rules alone cannot protect it.

// screen decides which comments of one survey revision may be shown.
type screen struct {
	q        *survey.Questionnaire
	harmless map[string]bool
	named    *nameMemo
}

// nameMemo remembers which texts contain a name (jatext.Names): the analysis is slow, texts
// repeat, and whether a text names someone never changes — a revision (an admin's mark) does
// not make it analyse them again. It keeps hashes, not texts, so that a redacted original
// does not live on in the server's memory.
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
		harmless, err := s.store.Harmless(sv.ID())
		return &screen{q: sv.Questionnaire, harmless: harmless, named: &s.named}, err
	})
}

// names reports whether text contains a name.
func (m *nameMemo) names(text string) bool {
	m.mu.Lock()
	named, ok := m.named[sha256.Sum256([]byte(text))]
	m.mu.Unlock()
	if !ok {
		named = len(jatext.Names(text)) > 0
		m.put([]string{text}, []bool{named})
	}
	return named
}

func (m *nameMemo) put(texts []string, named []bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.named == nil {
		m.named = map[[sha256.Size]byte]bool{}
	}
	for i, t := range texts {
		m.named[sha256.Sum256([]byte(t))] = named[i]
	}
}

// learn analyses the texts not known yet, on every CPU (jatext.Named).
func (m *nameMemo) learn(texts []string) {
	m.mu.Lock()
	var unknown []string
	for _, t := range texts {
		if _, ok := m.named[sha256.Sum256([]byte(t))]; !ok && t != "" {
			unknown = append(unknown, t)
		}
	}
	m.mu.Unlock()
	m.put(unknown, jatext.Named(unknown))
}

// flagged reports whether the answer text to the question-th comment question waits for an
// admin: it seems to name a person and has not been cleared.
func (sc *screen) flagged(question int, text string) bool {
	if text == "" || !sc.named.names(text) {
		return false
	}
	return !sc.harmless[survey.CommentID(sc.q.Comments[question].ID, text)]
}

type commentEntry struct {
	lists    []analysis.CommentList // shown comments only
	withheld []int                  // per comment question: comments waiting for review
	ok       bool
}

// Comments returns the comments of section (survey.Root for the organisation) of closed
// survey id under docs/anonymity.md, rule 7, and whether the group may show comments at all;
// comments waiting for review (Flagged) are left out. The lists are shared with the cache:
// callers shuffle a copy (analysis.Shuffled).
func (s *Service) Comments(ctx context.Context, id, section string) (*survey.Survey, []analysis.CommentList, bool, error) {
	sv, e, err := s.groupComments(ctx, id, section)
	return sv, e.lists, e.ok, err
}

// Withheld returns, per comment question, how many comments of section of closed survey id
// wait for an admin's review and are not shown.
func (s *Service) Withheld(ctx context.Context, id, section string) ([]int, error) {
	_, e, err := s.groupComments(ctx, id, section)
	return e.withheld, err
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
		e := commentEntry{ok: true, withheld: make([]int, len(lists))}
		for _, l := range lists {
			sc.named.learn(l.Texts)
		}
		for i, l := range lists {
			shown := l.Texts[:0:0]
			for _, t := range l.Texts {
				if sc.flagged(i, t) {
					e.withheld[i]++
				} else {
					shown = append(shown, t)
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

// Flagged is a comment that seems to name a person, waiting for an admin's review.
type Flagged struct {
	ID       string        `json:"id"`       // survey.CommentID
	Question string        `json:"question"` // the comment question's id
	Index    int           `json:"-"`        // the question's index in Questionnaire.Comments
	Text     string        `json:"text"`
	Names    []jatext.Span `json:"names"` // what looks like a name
	Count    int           `json:"count"` // how many respondents wrote exactly this
}

// Flagged returns the comments of closed survey id that wait for review, by question and
// text. They are the comments the whole organisation would show (rule 7): when it may show
// none, there is nothing to review, for nothing of them is ever shown or exported.
func (s *Service) Flagged(ctx context.Context, id string) (*survey.Survey, []Flagged, error) {
	sv, err := s.Closed(id)
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.screen(sv)
	if err != nil {
		return nil, nil, err
	}
	lists, ok, err := s.collect(ctx, sv, survey.Root)
	if err != nil || !ok {
		return sv, nil, err
	}
	var out []Flagged
	at := map[string]int{}
	for _, l := range lists {
		sc.named.learn(l.Texts)
	}
	for i, l := range lists {
		for _, t := range l.Texts {
			if !sc.flagged(i, t) {
				continue
			}
			cid := survey.CommentID(l.Question, t)
			if j, ok := at[cid]; ok {
				out[j].Count++
				continue
			}
			at[cid] = len(out)
			out = append(out, Flagged{ID: cid, Question: l.Question, Index: i, Text: t, Names: jatext.Names(t), Count: 1})
		}
	}
	slices.SortFunc(out, func(a, b Flagged) int {
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		return cmp.Compare(a.Text, b.Text)
	})
	return sv, out, nil
}

// Redacted returns f's text with its names, and every occurrence of words, replaced by
// jatext.Redaction: what an admin's redaction stores.
func (f Flagged) Redacted(words []string) string {
	return jatext.Redact(f.Text, append(slices.Clone(f.Names), jatext.Find(f.Text, words)...))
}

// FlaggedComment returns the comment with id commentID of closed survey id that waits for
// review.
func (s *Service) FlaggedComment(ctx context.Context, id, commentID string) (*survey.Survey, Flagged, error) {
	sv, all, err := s.Flagged(ctx, id)
	if err != nil {
		return nil, Flagged{}, err
	}
	for _, f := range all {
		if f.ID == commentID {
			return sv, f, nil
		}
	}
	return nil, Flagged{}, survey.Errorf(survey.ENOTFOUND, "確認待ちの記述 %q はありません（すでに確認済みか、伏せられています）",
		"no comment %q waits for review (it may have been reviewed or redacted already)", commentID)
}
