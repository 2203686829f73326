package storage

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// The review of comments (docs/anonymity.md, "Names in comments"): a comment waiting for
// review is shown nowhere until a person publishes it, redacts it, or withholds it.
// A mark is kept by survey.CommentID, a hash of the question and the text, which are in the
// store anyway; a redaction rewrites the text in every record that holds it and compacts the
// file, so that the original is gone from it, and keeps no trace of the original text.

var bucketMarks = []byte("comment-marks") // survey id → {survey.CommentID → Mark JSON}

// Mark is a person's decision on a comment: shown as written (publish, or an older mark with
// no decision), never shown (withhold), or the text a redaction left (redacted, shown).
type Mark struct {
	By       string    `json:"by"`
	Time     time.Time `json:"time"`
	Decision string    `json:"decision,omitempty"`
}

// MarkHarmless records that the comment with id commentID of closed survey surveyID may be
// shown as written (Decide with survey.DecidePublish).
func (s *Store) MarkHarmless(surveyID, commentID, by string) error {
	return s.Decide(surveyID, commentID, survey.DecidePublish, by)
}

// Decide records by's decision on the comment with id commentID of closed survey surveyID:
// survey.DecidePublish or survey.DecideWithhold. A later decision replaces an earlier one. It
// changes the survey's revision, so that cached results are made anew.
func (s *Store) Decide(surveyID, commentID, decision, by string) error {
	return s.DecideAll(surveyID, map[string]string{commentID: decision}, by)
}

// DecideAll records by's decisions, comment id → decision, in one transaction: all of them,
// or none when one is not a decision.
func (s *Store) DecideAll(surveyID string, decisions map[string]string, by string) error {
	now := time.Now().UTC()
	return s.update(func(tx *bolt.Tx) error {
		st, err := reviewable(tx, surveyID)
		if err != nil {
			return err
		}
		for id, decision := range decisions {
			if decision != survey.DecidePublish && decision != survey.DecideWithhold {
				return survey.Errorf(survey.EINVALID, "判断 %q はありません（publish か withhold）", "no decision %q (publish or withhold)", decision)
			}
			data, err := json.Marshal(Mark{By: by, Time: now, Decision: decision})
			if err != nil {
				return fmt.Errorf("decide: %w", err)
			}
			if err := putMark(tx, surveyID, id, data); err != nil {
				return err
			}
		}
		st.Revision++
		return putState(tx, surveyID, st)
	})
}

func putMark(tx *bolt.Tx, surveyID, commentID string, data []byte) error {
	b, err := tx.Bucket(bucketMarks).CreateBucketIfNotExists([]byte(surveyID))
	if err != nil {
		return err
	}
	return b.Put([]byte(commentID), data)
}

// Decisions returns the decision on every decided comment of survey surveyID, by
// survey.CommentID: survey.DecidePublish, survey.DecideWithhold or survey.DecideRedacted.
func (s *Store) Decisions(surveyID string) (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMarks).Bucket([]byte(surveyID))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var m Mark
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("comment mark %x: %w", k, err)
			}
			if m.Decision == "" {
				m.Decision = survey.DecidePublish // marked harmless by an earlier version
			}
			out[string(k)] = m.Decision
			return nil
		})
	})
	return out, err
}

// Harmless returns the ids of the comments of survey surveyID that a person let be shown
// (published, or left by a redaction).
func (s *Store) Harmless(surveyID string) (map[string]bool, error) {
	ds, err := s.Decisions(surveyID)
	out := map[string]bool{}
	for id, d := range ds {
		if d != survey.DecideWithhold {
			out[id] = true
		}
	}
	return out, err
}

// Redact replaces text, the answer to the question-th comment question of closed survey
// surveyID, by redacted in every record that holds it — responses and comments stored apart
// alike — and then compacts the file, so that no page of it keeps the original. It returns
// how many comments it changed; none is ENOTFOUND. A mark of the original text is dropped
// with it: the store keeps neither the text nor its hash. The redacted text is decided
// (survey.DecideRedacted): the person who chose what to hide has read it.
func (s *Store) Redact(surveyID string, question int, text, redacted string) (int, error) {
	if text == redacted {
		return 0, survey.Errorf(survey.EINVALID, "伏せる語がありません：記述は変わりません", "nothing to hide: the comment would not change")
	}
	if !utf8.ValidString(redacted) {
		return 0, survey.Errorf(survey.EINVALID, "伏せた記述に不正な文字が含まれています", "the redacted comment is not valid UTF-8")
	}
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		st, err := reviewable(tx, surveyID)
		if err != nil {
			return err
		}
		q, err := s.questionnaire(tx, surveyID)
		if err != nil {
			return err
		}
		if question < 0 || question >= len(q.Comments) {
			return survey.Errorf(survey.EINVALID, "自由記述の設問 %d はありません", "no comment question %d", question)
		}
		if n, err = redactResponses(tx.Bucket(bucketResponses).Bucket([]byte(surveyID)), question, text, redacted); err != nil {
			return err
		}
		m, err := redactApart(tx.Bucket(bucketComments).Bucket([]byte(surveyID)), question, text, redacted)
		if err != nil {
			return err
		}
		if n += m; n == 0 {
			return survey.Errorf(survey.ENOTFOUND, "その記述は見つかりません（すでに伏せられたか、変更されています）",
				"no such comment (it may have been redacted or changed already)")
		}
		if b := tx.Bucket(bucketMarks).Bucket([]byte(surveyID)); b != nil {
			if err := b.Delete([]byte(survey.CommentID(q.Comments[question].ID, text))); err != nil {
				return err
			}
		}
		if err := dropEditionComment(tx, surveyID, survey.CommentID(q.Comments[question].ID, text)); err != nil {
			return err
		}
		mark, err := json.Marshal(Mark{Time: time.Now().UTC(), Decision: survey.DecideRedacted})
		if err != nil {
			return err
		}
		if err := putMark(tx, surveyID, survey.CommentID(q.Comments[question].ID, redacted), mark); err != nil {
			return err
		}
		st.Revision++
		return putState(tx, surveyID, st)
	})
	if err != nil {
		return 0, err
	}
	// The old records' pages are free, not wiped: only a new file is rid of them.
	return n, s.compact(nil)
}

// reviewable returns the state of survey id when its comments may be reviewed: closed, and
// not still closing (its compaction would carry the pages of a redaction in flight).
func reviewable(tx *bolt.Tx, id string) (surveyState, error) {
	st, err := getState(tx, id)
	if err != nil {
		return st, err
	}
	if st.State != survey.StateClosed || st.Closing {
		return st, survey.Errorf(survey.ESTATE, "調査 %q は終了していないため、自由記述を確認できません",
			"survey %q is not closed: its comments cannot be reviewed yet", id)
	}
	return st, nil
}

func redactResponses(b *bolt.Bucket, question int, text, redacted string) (int, error) {
	r := new(survey.Response)
	return rewrite(b, func(v []byte) ([]byte, error) {
		if err := r.UnmarshalBinary(v); err != nil {
			return nil, err
		}
		if question >= len(r.Comments) || r.Comments[question] != text {
			return nil, nil
		}
		r.Comments[question] = redacted
		return r.MarshalBinary()
	})
}

func redactApart(b *bolt.Bucket, question int, text, redacted string) (int, error) {
	return rewrite(b, func(v []byte) ([]byte, error) {
		c, err := decodeComment(v)
		if err != nil || c.question != question || c.text != text {
			return nil, err
		}
		c.text = redacted
		return encodeComment(c), nil
	})
}
